"""INSERT OR IGNORE / OR REPLACE … SELECT into a table stricter than its source (MH216).

Read through what the copy writes, so a guarded copy whose rows meet every constraint (a
lookup filled from DISTINCT values, an untracked set's re-runnable rebuild) is quiet, and
one that can skip or overwrite a row holding something else is not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Final

from sqlglot import exp

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, offset_of
from migration_harness.lint.mends import meets_check, never_null
from migration_harness.lint.shapes import (
    ctes_of,
    name_of,
    row_sources,
    row_tables,
    table_in,
    written_values,
)
from migration_harness.lint.storage import copies
from migration_harness.schema.model import Column, Table


def or_ignore_copy(context: FileContext) -> Iterator[Hit]:
    """``INSERT OR IGNORE/REPLACE … SELECT`` into a table stricter than its source."""
    for copy in copies(context):
        alternative = str(copy.insert.args.get("alternative") or "").upper()
        if alternative not in ("IGNORE", "REPLACE"):
            continue
        target = table_in(copy.parsed.before, copy.target)
        # the tables its rows come from, in FROM/JOIN order (a set's order changed with the
        # hash seed, and so did which table the target was compared with); a table read only
        # in a subquery (WHERE NOT EXISTS …) gives no row, and a SELECT of constants copies
        # nothing, so OR IGNORE there only skips a row that is already in place
        named = dict.fromkeys(row_tables(copy.select, ctes_of(copy.insert)))
        found = [t for n in named if (t := table_in(copy.parsed.before, n)) is not None]
        values = written_values(
            copy.insert, [c.name for c in target.columns if not c.is_generated] if target else ()
        )
        if target is None or not found:
            continue
        met = functools.partial(meets_check, context, copy, was=None)
        kept = filtered_from_null(copy.select)
        if not _stricter(
            target, found[0], values, met, replace=alternative == "REPLACE", kept=kept
        ):
            continue
        yield Hit(
            "or-ignore-copy",
            copy.parsed,
            f"rows that break a constraint of {copy.target} are silently "
            f"{'dropped' if alternative == 'IGNORE' else 'overwritten'}: OR {alternative} "
            "turns the failure into data loss",
            offset_of(None, copy.parsed, alternative),
        )


def _stricter(
    target: Table,
    source: Table,
    values: dict[str, exp.Expr] | None,
    met: Callable[[str], bool],
    *,
    replace: bool = False,
    kept: frozenset[tuple[str, str]] = frozenset(),
) -> bool:
    """Whether ``target`` has a UNIQUE set, CHECK or NOT NULL that ``source`` lacks.

    Only where the conflict algorithm hides the failure: OR IGNORE skips the row for any
    of them, while OR REPLACE (sqlite.org/lang_conflict.html) deletes the clashing row for
    a UNIQUE set and writes the DEFAULT for a NULL in a NOT NULL column that has one, but
    aborts the statement for a CHECK or a NOT NULL without DEFAULT, as a plain INSERT does.

    Read through what the copy writes (``values``, target column -> expression) where it
    lines up: a column filled from a NOT NULL column of ``source`` under another name
    holds no NULL, an unwritten rowid alias is handed out new and never clashes, and a
    UNIQUE set holding every written column skips only a row equal, in all it writes, to
    one already there (``INSERT OR IGNORE INTO statuses (name) SELECT DISTINCT status``
    fills a lookup and loses nothing), and so does one whose other written columns are
    computed from the key's own values alone (a label ``upper(genre)`` beside the key
    ``genre``: rows equal on the key are equal in all). A key filled from a UNIQUE key of
    ``source`` gets
    no clash from the copied rows (only from rows already there, which a guarded re-run
    means to skip), and a CHECK the copy's values are shown to meet (``met``: ``max(qty,
    0)`` into ``CHECK (qty >= 0)``) refuses none of them; an unwritten NOT NULL column
    with a DEFAULT is never NULL, and neither is a column filled from one the SELECT's
    ``WHERE`` keeps NULL out of (``kept``, :func:`filtered_from_null`: ``SELECT DISTINCT
    genre … WHERE genre IS NOT NULL``), or with an expression that is never NULL over
    ``source``'s NOT NULL columns (``trim(crop)``: :func:`~migration_harness.lint.mends.
    never_null`).
    """
    checks = {c.expression for c in source.checks}
    source_keys = {tuple(c.lower() for c in key) for key in source.unique_sets}
    not_null = {c.name.lower() for c in source.columns if c.notnull}
    written = {c.lower() for c in values} if values is not None else None

    def filled_from(column: str) -> str:
        value = values.get(column) if values is not None else None
        return value.name.lower() if isinstance(value, exp.Column) else column

    def defaulted(column: Column) -> bool:
        """An unwritten column that takes a non-NULL DEFAULT: never NULL."""
        unwritten = written is not None and column.name.lower() not in written
        return unwritten and (column.default or "NULL").upper() != "NULL"

    def may_clash(key: tuple[str, ...]) -> bool:
        named = {c.lower() for c in key}
        if key in source.unique_sets or key == ("rowid",):
            return False
        if tuple(filled_from(c.lower()) for c in key) in source_keys:
            return False
        if written is None:
            return True
        alias = (target.rowid_alias or "").lower()
        if named == {alias} and alias not in written:
            return False
        return not written <= named and not _derived_from(key, values)

    def filtered(column: str) -> bool:
        value = values.get(column) if values is not None else None
        if not isinstance(value, exp.Column):
            return False
        table, name = value.table.lower(), value.name.lower()
        return any(n == name and (t == table or not t or not table) for t, n in kept)

    def computed_non_null(column: str) -> bool:
        """A column the copy fills with what is never NULL (``trim(crop)``, crop NOT NULL)."""
        value = values.get(column) if values is not None else None
        return value is not None and never_null(value, not_null)

    def hides_null(column: Column) -> bool:
        """A NULL the conflict algorithm turns into something else instead of failing."""
        return not replace or (column.default or "NULL").upper() != "NULL"

    return (
        any(may_clash(s) for s in target.unique_sets)
        or any(
            not replace and c.expression not in checks and not met(c.expression)
            for c in target.checks
        )
        or any(
            c.notnull
            and filled_from(c.name.lower()) not in not_null
            and not computed_non_null(c.name.lower())
            and not filtered(c.name.lower())
            and hides_null(c)
            for c in target.columns
            if not c.pk and not defaulted(c)
        )
    )


# Functions whose value differs between two calls with the same arguments (sqlite.org/
# deterministic.html): a column computed with one is not fixed by the key's values.
_VOLATILE: Final = frozenset(
    {"random", "randomblob", "changes", "total_changes", "last_insert_rowid"}
)


def _derived_from(key: tuple[str, ...], values: dict[str, exp.Expr] | None) -> bool:
    """Whether every written column outside ``key`` is computed from the key's sources only.

    Each key column must be copied from a plain column, and every other written value read
    only those columns (no subquery, no volatile function): two rows equal on the key are
    then equal in every column written, and skipping or replacing one loses nothing.
    """
    if values is None:
        return False
    lowered = {c.lower(): v for c, v in values.items()}
    named = {c.lower() for c in key}
    sources = set()
    for column in named:
        value = lowered.get(column)
        if not isinstance(value, exp.Column):
            return False
        sources.add((value.table.lower(), value.name.lower()))
    return all(_reads_only(v, sources) for c, v in lowered.items() if c not in named)


def _reads_only(value: exp.Expr, sources: set[tuple[str, str]]) -> bool:
    """Whether ``value`` is a deterministic expression over ``sources`` columns alone."""
    if value.find(exp.Select, exp.Rand) is not None:
        return False
    calls = (str(f.this).lower() for f in value.find_all(exp.Anonymous))
    if any(name in _VOLATILE for name in calls):
        return False
    return all((c.table.lower(), c.name.lower()) in sources for c in value.find_all(exp.Column))


# Comparisons that are NULL, never true, when an operand is NULL: a WHERE term of one keeps
# the rows whose compared column is NULL out (``IS``/``IS NOT`` compare NULLs, so no).
_NULL_REFUSING: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.Glob)
# json_each/json_tree (sqlite.org/json1.html#jeach): ``value`` is NULL only for a JSON null,
# whose ``type`` is 'null'
_JSON_TABLES: Final = frozenset({"json_each", "json_tree"})


def filtered_from_null(select: exp.Select) -> frozenset[tuple[str, str]]:
    """The columns (table or alias, name; lower-case) the SELECT's ``WHERE`` keeps NULL out of.

    Only the top-level ``AND`` terms count, each true on every row kept: ``x IS NOT NULL``,
    a comparison or ``IN`` naming ``x`` (NULL compared is never true), and for a
    ``json_each``/``json_tree`` alias ``j``, ``j.type = 'text'``, ``j.type <> 'null'`` or
    ``j.type IN (…)`` without ``'null'``, which keeps JSON nulls, the only NULL
    ``j.value``, out.
    """
    clause = select.args.get("where")
    if not isinstance(clause, exp.Where):
        return frozenset()
    term = clause.this.unnest()
    terms = term.flatten() if isinstance(term, exp.And) else (term,)
    json = {
        name_of(t.args["alias"])
        for t in row_sources(select)
        if isinstance(t, exp.Table)
        and isinstance(t.this, exp.Anonymous)
        and str(t.this.this).lower() in _JSON_TABLES
        and t.args.get("alias") is not None
    }
    found: set[tuple[str, str]] = set()
    for t in (term.unnest() for term in terms):
        compared: list[exp.Expr] = []
        if isinstance(t, exp.Not) and isinstance(t.this, exp.Is):
            if isinstance(t.this.expression, exp.Null):
                compared = [t.this.this]
        elif isinstance(t, _NULL_REFUSING):
            compared = [t.this, t.expression]
        elif isinstance(t, exp.In) or (isinstance(t, exp.Not) and isinstance(t.this, exp.In)):
            compared = [t.this if isinstance(t, exp.In) else t.this.this]
        for c in compared:
            if isinstance(c, exp.Column):
                found.add((c.table.lower(), c.name.lower()))
                if c.name.lower() == "type" and c.table.lower() in json and _no_json_null(t):
                    found.add((c.table.lower(), "value"))
    return frozenset(found)


def _no_json_null(term: exp.Expr) -> bool:
    """Whether a ``type`` test (``=``/``IN``, or ``<> 'null'``) admits no ``'null'`` type."""
    if isinstance(term, exp.NEQ):
        return any(
            isinstance(a, exp.Literal) and a.is_string and a.this.lower() == "null"
            for a in (term.this, term.expression)
        )
    if isinstance(term, exp.EQ):
        literals = [a for a in (term.this, term.expression) if isinstance(a, exp.Literal)]
    elif isinstance(term, exp.In):
        literals = list(term.expressions)
    else:
        return False
    return bool(literals) and all(
        isinstance(a, exp.Literal) and a.is_string and a.this.lower() != "null" for a in literals
    )
