"""Comparisons with NULL that are never true: ``WHERE closed_at = NULL`` matches no row.

SQLite evaluates ``x = NULL`` (and ``!=``, ``<>``, ``<``, ``>``, ``<=``, ``>=``, ``x NOT IN
(…, NULL)``) to NULL whatever ``x`` holds, and a WHERE keeps only the rows it finds true.
So a data fix written ``UPDATE tickets SET status = 'archived' WHERE closed_at = NULL``
applies cleanly and changes no row on any database: the rows it exists for keep their old
value, and no test notices, since nothing fails. The same comparison in a partial index's
WHERE leaves the index empty (a UNIQUE one enforces nothing), in a CHECK refuses no row (a
CHECK fails only on false), in a trigger's WHEN never fires the trigger, in a CASE WHEN (or
``CASE x WHEN NULL``, which compares ``x = NULL``) or ``iif()`` sends every row to the
other branch (a backfill or a copy writes the ELSE value everywhere), and in a JOIN's ON
never matches. A dead branch whose THEN is NULL is left alone: the row then takes the
ELSE, which for a NULL value mostly gives NULL as well (a dead ``WHEN NULL THEN NULL``
before an ELSE that casts the value, in stash's migration 39, keeps every value).
``IS NULL`` and ``IS NOT NULL`` are what the author meant.

The whole condition is judged under SQLite's three-valued logic, knowing only these
comparisons (every other term may be anything): a condition that can never be true (a
CHECK: never false) is named with what it costs; a dead comparison inside a condition that
still works otherwise (``status = 'closed' OR closed_at = NULL``) is named alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlglot
from sqlglot import TokenType, exp
from sqlglot.errors import SqlglotError

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.schema.positional import trigger_statements

_COMPARISONS = (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE)
_HINT = "a comparison with NULL is NULL, never true; IS NULL / IS NOT NULL is the test"


_CHECK = "the CHECK refuses no row (SQLite refuses a row only where a CHECK is false)"
_JOIN = "the join never matches a row (a LEFT JOIN fills NULLs, an inner one keeps no row)"
_WHEN = "that WHEN branch never runs: every row takes a later branch or the ELSE"
_IIF = "iif() always returns its third argument"

# One condition to judge: the expression, what its never being true costs, whether it is
# a CHECK (judged on never being false), and the word to point at (see _conditions).
_Condition = tuple[exp.Expr, str, bool, str]


def null_comparison(context: FileContext) -> Iterator[Hit]:
    """A WHERE, JOIN, CASE, CHECK or trigger WHEN holding a comparison with NULL."""
    for parsed in context.statements:
        seen: set[int] = set()  # dead comparisons named already (a WHERE in a WHERE)
        # Innermost first: a subquery's WHERE that is dead as a whole is named with its own
        # cost before the condition around it walks over the same comparison.
        for condition, cost, checks, anchor in reversed(list(_conditions_of(parsed))):
            yield from _judge(parsed, condition, cost, checks=checks, anchor=anchor, seen=seen)


def _conditions_of(parsed: Parsed) -> Iterator[_Condition]:
    """Every condition of the statement, a trigger's WHEN and body included."""
    if parsed.words[:1] == ("CREATE",) and "TRIGGER" in parsed.words[1:3]:
        when = _when_of(parsed.sql)
        if when is not None:
            yield when, "the trigger never fires", False, "WHEN"
        for statement in trigger_statements(parsed.sql):
            yield from _conditions(statement, "BEGIN")
        return
    tree = parsed.tree_if("UPDATE", "DELETE", "INSERT", "REPLACE", "CREATE", "ALTER", "WITH")
    if tree is not None:
        yield from _conditions(tree, "")


def _conditions(tree: exp.Expr, anchor: str) -> Iterator[_Condition]:
    """Each WHERE, JOIN … ON, CASE WHEN, iif() and CHECK of ``tree``.

    ``anchor``: a word to point at instead of the node, for a tree parsed from a part of
    the statement (a trigger's body), whose positions are not the statement's.
    """
    for where in tree.find_all(exp.Where):
        yield where.this, _cost_of_where(where), False, anchor
    for join in tree.find_all(exp.Join):
        on = join.args.get("on")
        if isinstance(on, exp.Expr):
            yield on, _JOIN, False, anchor
    for case in tree.find_all(exp.Case):
        for branch in case.args.get("ifs") or ():
            if isinstance(branch.args.get("true"), exp.Null):
                continue  # THEN NULL: the branch taken instead mostly gives NULL too
            if case.this is None:
                yield branch.this, _WHEN, False, anchor
            elif isinstance(branch.this, exp.Null):
                # CASE x WHEN NULL compares x = NULL: the branch never matches.
                yield exp.EQ(this=case.this.copy(), expression=exp.Null()), _WHEN, False, anchor
    for iif in tree.find_all(exp.If):
        if not isinstance(iif.parent, exp.Case) and not isinstance(iif.args.get("true"), exp.Null):
            yield iif.this, _IIF, False, anchor
    for check in tree.find_all(exp.CheckColumnConstraint):
        yield check.this, _CHECK, True, anchor


def _when_of(sql: str) -> exp.Expr | None:
    """The expression between a CREATE TRIGGER's WHEN and its BEGIN, if it has one."""
    try:
        tokens = sqlglot.tokenize(sql, read="sqlite")
    except SqlglotError:
        return None
    begin = next((t for t in tokens if t.token_type == TokenType.BEGIN), None)
    when = next((t for t in tokens if t.token_type == TokenType.WHEN), None)
    if begin is None or when is None or when.start > begin.start:
        return None
    text = sql[when.end + 1 : begin.start]
    try:
        select = sqlglot.parse_one(f"SELECT 1 WHERE {text}", read="sqlite")
    except SqlglotError:
        return None
    where = select.args.get("where")
    return where.this if isinstance(where, exp.Where) else None


def _cost_of_where(where: exp.Where) -> str:
    """What a WHERE that is never true costs, by the statement or clause that owns it."""
    owner = where.parent
    if isinstance(owner, exp.Update):
        return "the UPDATE changes no row on any database"
    if isinstance(owner, exp.Delete):
        return "the DELETE deletes no row on any database"
    if isinstance(owner, exp.IndexParameters):
        return "the index holds no row (a UNIQUE one enforces nothing)"
    if isinstance(owner, exp.Select) and isinstance(owner.parent, exp.Insert):
        return "the INSERT … SELECT copies no row"
    return "the SELECT returns no row"


def _judge(
    parsed: Parsed,
    condition: exp.Expr,
    cost: str,
    *,
    checks: bool,
    anchor: str,
    seen: set[int],
) -> Iterator[Hit]:
    """One hit for a condition that is dead as a whole, else one per dead comparison.

    ``seen``: the dead comparisons of the statement already named, skipped (a WHERE
    nested in another condition is judged once as its own and walked again with it).
    """
    dead = [n for n in condition.walk() if isinstance(n, exp.Expr) and _always_null(n)]
    dead += [n for n in condition.walk() if isinstance(n, exp.Not) and _not_in_null(n)]
    fresh = [n for n in dead if id(n) not in seen]
    if not fresh:
        return
    seen.update(id(n) for n in dead)
    if _never_false(condition) if checks else _never_true(condition):
        yield Hit(
            "null-comparison",
            parsed,
            f"{cost}: {_text(condition)} is never {'false' if checks else 'true'} ({_HINT})",
            _where(condition, parsed, anchor),
        )
        return
    for node in fresh:
        yield Hit(
            "null-comparison",
            parsed,
            f"{_text(node)} is never true, so that part of the condition matches no row ({_HINT})",
            _where(node, parsed, anchor),
        )


def _where(node: exp.Expr, parsed: Parsed, anchor: str) -> int:
    """The offset of ``node`` in the statement, or of ``anchor`` when one is given."""
    return offset_of(None, parsed, anchor) if anchor else offset_of(node, parsed)


def _text(node: exp.Expr) -> str:
    """The expression as SQL, shortened for a message."""
    sql = node.sql(dialect="sqlite")
    return sql if len(sql) <= 120 else sql[:117] + "..."


def _always_null(node: exp.Expr) -> bool:
    """Whether ``node`` is NULL on every row: a comparison with a NULL literal, or IN (NULL)."""
    if isinstance(node, _COMPARISONS):
        return isinstance(node.this, exp.Null) or isinstance(node.expression, exp.Null)
    if isinstance(node, exp.In):
        items = node.expressions
        return bool(items) and all(isinstance(i, exp.Null) for i in items)
    return False


def _not_in_null(node: exp.Not) -> bool:
    """``x NOT IN (…, NULL, …)``: false or NULL on every row, never true."""
    inner = node.this
    return isinstance(inner, exp.In) and any(isinstance(i, exp.Null) for i in inner.expressions)


def _never_true(node: exp.Expr) -> bool:
    """Whether ``node`` is false or NULL on every row (three-valued logic)."""
    if _always_null(node):
        return True
    if isinstance(node, exp.Paren):
        return _never_true(node.this)
    if isinstance(node, exp.And):
        return _never_true(node.this) or _never_true(node.expression)
    if isinstance(node, exp.Or):
        return _never_true(node.this) and _never_true(node.expression)
    if isinstance(node, exp.Not):
        return _not_in_null(node) or _never_false(node.this)
    return False


def _never_false(node: exp.Expr) -> bool:
    """Whether ``node`` is true or NULL on every row (a CHECK that refuses nothing)."""
    if _always_null(node):
        return True
    if isinstance(node, exp.Paren):
        return _never_false(node.this)
    if isinstance(node, exp.And):
        return _never_false(node.this) and _never_false(node.expression)
    if isinstance(node, exp.Or):
        return _never_false(node.this) or _never_false(node.expression)
    if isinstance(node, exp.Not):
        return _never_true(node.this)
    return False


RULES: tuple[Rule, ...] = (null_comparison,)
