"""Double-quoted names: SQLite reads a "name" that resolves to no column as the string 'name'.

SQLite's double-quoted-string legacy (sqlite.org/quirks.html#dblquote; ``SQLITE_DQS``,
default 3: on for DDL and DML) resolves ``"x"`` as an identifier first and falls back to the
text ``'x'`` only when no column of that name is in scope. D1 (workerd's
``build/BUILD.sqlite3`` sets no ``SQLITE_DQS``) and most runners' SQLite keep it on, so the
statement runs and writes text; builds compiled with ``SQLITE_DQS=0`` (better-sqlite3's
bundled SQLite, under drizzle's migrator) refuse it instead (docs/RUNNERS.md). Two rules:

- MH316 ``double-quoted-string``: the name matches no column anywhere (a typo or a string
  written with the wrong quotes).
- MH321 ``quoted-name-as-text``: the name *is* a column of the table the statement writes,
  so the author meant the column, but none of the tables the statement reads has it at that
  point of the file, so SQLite writes (or compares with) the text instead: a silent data
  change that depends on the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import ctes_of, name_of, table_in
from migration_harness.schema.model import Schema

# Statements that write rows, where a quoted value can be meant as a column.
_WRITES: Final = ("INSERT", "REPLACE", "UPDATE", "DELETE", "WITH")
_ROWID: Final = frozenset({"rowid", "oid", "_rowid_"})


def double_quoted_string(context: FileContext) -> Iterator[Hit]:
    """A "double-quoted" name that matches no column: SQLite reads it as a string.

    A statement's ``before`` may be the schema of an earlier point of the file, so the
    columns the file's own earlier statements created count as known too (a Prisma
    ``CREATE UNIQUE INDEX "User_email_key" ON "User"("email")`` after its CREATE TABLE).
    """
    made = _MadeBefore(context.statements)
    for at, parsed in enumerate(context.statements):
        tree = parsed.tree if '"' in parsed.sql else None
        if tree is None or isinstance(tree, (exp.Command, exp.Pragma)):
            continue  # a pragma's argument is a name or a value, never a column
        known = _known_names(tree, parsed.before, context.after)
        for column in tree.find_all(exp.Column):
            ident = column.this
            if not isinstance(ident, exp.Identifier) or column.table:
                continue
            if not _double_quoted(ident, parsed):
                continue
            name = ident.name.lower()
            if _is_default_value(column):
                continue  # SQLite's grammar reads `DEFAULT "x"` as the string 'x'
            if not _in_default(column) and (name in known or name in made.up_to(at)):
                continue
            yield Hit(
                "double-quoted-string",
                parsed,
                f"\"{ident.name}\" is read as the string '{ident.name}', not a column: no "
                "column has that name (SQLite builds without that legacy fail instead)",
                offset_of(column, parsed),
            )


class _MadeBefore:
    """Column names the file's statements create (CREATE TABLE, ADD/RENAME COLUMN).

    Read only when a quoted name is unknown, and each statement once: the rule asks for
    statements in file order, so the names grow with the position asked.
    """

    def __init__(self, statements: tuple[Parsed, ...]) -> None:
        self._statements = statements
        self._read = 0
        self._names: set[str] = set()

    def up_to(self, at: int) -> set[str]:
        """The names the statements before ``at`` create (``at`` never decreases)."""
        for parsed in self._statements[self._read : at]:
            tree = parsed.tree_if("CREATE", "ALTER")
            if tree is not None:
                self._names |= {d.name.lower() for d in tree.find_all(exp.ColumnDef)}
                self._names |= {r.args["to"].name.lower() for r in tree.find_all(exp.RenameColumn)}
        self._read = max(self._read, at)
        return self._names


def _is_default_value(node: exp.Expr) -> bool:
    """Whether ``node`` is a column definition's whole DEFAULT value (``DEFAULT "x"``).

    SQLite's grammar takes a bare name after DEFAULT as a string token
    (``ccons ::= DEFAULT scantok id``, parse.y), so the value is 'x' on every build, those
    without the double-quoted-string legacy included; in parentheses (``DEFAULT ("x")``)
    it is an expression, and such a build refuses it.
    """
    return isinstance(node.parent, exp.DefaultColumnConstraint)


def _in_default(node: exp.Expr) -> bool:
    """Whether ``node`` sits in a DEFAULT (which can never name a column)."""
    return node.find_ancestor(exp.DefaultColumnConstraint) is not None


def _known_names(tree: exp.Expr, *schemas: Schema) -> set[str]:
    """Column names and aliases a quoted name in ``tree`` could resolve to."""
    names = {c.name.lower() for s in schemas for t in s.tables.values() for c in t.columns}
    names |= {d.name.lower() for d in tree.find_all(exp.ColumnDef)}
    names |= {a.alias.lower() for a in tree.find_all(exp.Alias)}
    names |= {t.alias_or_name.lower() for t in tree.find_all(exp.Table)}
    names |= {"rowid", "oid", "_rowid_", "new", "old", "excluded"}
    return names


def quoted_name_as_text(context: FileContext) -> Iterator[Hit]:
    """A "name" of a column of the written table that the statement's scope does not have.

    ``INSERT INTO t (a, b) SELECT "a", "b" FROM s`` where ``s`` has no column ``b`` fills
    every row's ``b`` with the text 'b'; ``UPDATE t SET x = "y"`` before the ALTER that adds
    ``y`` sets ``x`` to 'y'. A row of ``VALUES`` has no columns in scope, so a quoted word
    there is meant as text and left to MH316; a name the statement reads from any table,
    alias or CTE (the scope taken widely, so a doubt stays quiet) is a column.
    """
    for parsed in context.statements:
        tree = parsed.tree_if(*_WRITES) if '"' in parsed.sql else None
        if not isinstance(tree, exp.Insert | exp.Update | exp.Delete):
            continue
        target = _target(tree)
        written = _columns_of(name_of(target), parsed.before, context.after)
        candidates = [c for c in _quoted_values(tree, parsed) if c.this.name.lower() in written]
        if not candidates:
            continue
        reads = _read_names(tree, parsed.before, skip=target)
        if reads is None:
            continue  # a source lint cannot see (a view, a table function): no guess
        own = _columns_of(name_of(target), parsed.before)
        for column in candidates:
            name = column.this.name.lower()
            sees_target = not isinstance(tree, exp.Insert) or _in_upsert_or_returning(column)
            if name in reads or (sees_target and name in own):
                continue
            yield Hit("quoted-name-as-text", parsed, _message(column), offset_of(column, parsed))


def _message(column: exp.Column) -> str:
    """The consequence (a value written, or a filter that picks other rows), then why."""
    name = column.this.name
    if column.find_ancestor(exp.Where) is not None:
        what = f"the WHERE compares with the text '{name}', not column {name}: other rows match"
    else:
        what = f"rows get the text '{name}' where the value of column {name} was meant"
    return (
        f"{what}: no table this statement reads has that column here, so SQLite takes "
        f'"{name}" as a string (builds without the double-quoted-string legacy refuse it)'
    )


def _target(tree: exp.Insert | exp.Update | exp.Delete) -> exp.Expr | None:
    """The table node the statement writes (an INSERT's column list unwrapped)."""
    node = tree.this
    if isinstance(node, exp.Schema):
        node = node.this
    return node if isinstance(node, exp.Table) else None


def _columns_of(table: str, *schemas: Schema) -> set[str]:
    """Lower-cased column names of ``table`` in any of ``schemas``."""
    found = (table_in(s, table) for s in schemas) if table else ()
    return {c.name.lower() for t in found if t is not None for c in t.columns}


def _quoted_values(tree: exp.Expr, parsed: Parsed) -> Iterator[exp.Column]:
    """Unqualified double-quoted names in value positions (not SET targets, keys or VALUES)."""
    keys = {
        id(c)
        for conflict in tree.find_all(exp.OnConflict)
        for key in conflict.args.get("conflict_keys") or ()
        for c in key.find_all(exp.Column)
    }
    for column in tree.find_all(exp.Column):
        ident = column.this
        if not isinstance(ident, exp.Identifier) or column.table or id(column) in keys:
            continue
        if _double_quoted(ident, parsed) and not _set_target(column) and not _in_values(column):
            yield column


def _set_target(column: exp.Column) -> bool:
    """Whether ``column`` is the left side of an UPDATE's (or upsert's) ``SET x = …``."""
    parent = column.parent
    return (
        isinstance(parent, exp.EQ)
        and parent.this is column
        and isinstance(parent.parent, exp.Update | exp.OnConflict)
    )


def _in_values(column: exp.Column) -> bool:
    """Whether ``column`` sits in a VALUES row, where no column is in scope (text was meant)."""
    return isinstance(column.find_ancestor(exp.Select, exp.Values), exp.Values)


def _double_quoted(ident: exp.Identifier, parsed: Parsed) -> bool:
    """Whether ``ident`` was written in double quotes in the statement.

    sqlglot marks `x` and [x] quoted too, but SQLite falls back to a string only for
    double quotes: the others are names on every build ("no such column" otherwise).
    """
    start = ident.meta.get("start") if ident.meta else None
    return isinstance(start, int) and parsed.sql[start : start + 1] == '"'


def _read_names(tree: exp.Expr, schema: Schema, skip: exp.Expr | None) -> set[str] | None:
    """Every column name the statement can resolve: its tables, derived tables, CTEs, aliases.

    ``skip`` is an INSERT's target, whose columns are not in scope of its SELECT. ``None``
    when a source is neither a table of ``schema`` nor a CTE of the statement.
    """
    ctes = ctes_of(tree)
    names = set(_ROWID)
    for node in tree.find_all(exp.Table):
        if node is skip:
            continue
        name = name_of(node) if isinstance(node.this, exp.Identifier) else ""
        table = table_in(schema, name) if name else None
        if table is not None:
            names |= {c.name.lower() for c in table.columns}
        elif name not in ctes:
            return None
    # a derived table's or CTE's output columns, and aliases (SQLite resolves WHERE and
    # ORDER BY names against the select list's AS names); not a SELECT's own plain output
    # names, which are the very tokens being judged
    for query in tree.find_all(exp.Select):
        if isinstance(query.parent, exp.Subquery | exp.CTE):
            names |= {n.lower() for n in query.named_selects}
    names |= {a.alias.lower() for a in tree.find_all(exp.Alias)}
    for alias in tree.find_all(exp.TableAlias):
        names |= {c.name.lower() for c in alias.columns}
    return names


def _in_upsert_or_returning(column: exp.Expr) -> bool:
    """Whether an INSERT's ``column`` sits where the target's columns are in scope."""
    return column.find_ancestor(exp.OnConflict, exp.Returning) is not None


RULES: tuple[Rule, ...] = (double_quoted_string, quoted_name_as_text)
