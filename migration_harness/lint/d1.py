"""Cloudflare D1's limits and refusals (only for the ``d1`` target).

The limits are Cloudflare's published ones (developers.cloudflare.com/d1/platform/limits/):
"Maximum number of columns per table: 100", "Maximum SQL statement length: 100,000 bytes
(100 KB)", "Maximum arguments per SQL function: 32". The refusals (ATTACH, pragmas, TEMP
objects, ``_cf_`` names, ``sqlite_version()``, VACUUM, wrangler's appended INSERT) are the
ones measured in D1_SEMANTICS.md and enforced by the ``d1`` target at apply time, so
``check`` fails the same files.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import changed_tables, statement_about
from migration_harness.sets.calls import calls, mentions
from migration_harness.sets.d1rules import (
    D1_MAX_COLUMNS,
    D1_MAX_FUNCTION_ARGUMENTS,
    D1_MAX_STATEMENT_BYTES,
    D1_REFUSED_PRAGMAS,
)


def _d1_only(rule: Rule) -> Rule:
    """Run ``rule`` only when the target is D1."""

    def wrapped(context: FileContext) -> Iterator[Hit]:
        if context.target.d1:
            yield from rule(context)

    wrapped.__name__ = rule.__name__
    wrapped.__doc__ = rule.__doc__
    return wrapped


def too_many_columns(context: FileContext) -> Iterator[Hit]:
    """A table with more than 100 columns after the file."""
    for name in changed_tables(context.before, context.after):
        table = context.after.tables[name]
        was = context.before.tables.get(name)
        if len(table.columns) > D1_MAX_COLUMNS and (
            was is None or len(was.columns) <= D1_MAX_COLUMNS
        ):
            yield Hit(
                "d1-too-many-columns",
                statement_about(context, name),
                f"D1 refuses the migration: {name} has {len(table.columns)} columns, "
                f"D1 allows {D1_MAX_COLUMNS} per table",
            )


def statement_too_long(context: FileContext) -> Iterator[Hit]:
    """A statement longer than 100 KB."""
    for parsed in context.statements:
        size = len(parsed.sql.encode())
        if size > D1_MAX_STATEMENT_BYTES:
            yield Hit(
                "d1-statement-too-long",
                parsed,
                f"D1 refuses the migration: the statement is {size} bytes, D1 allows "
                f"{D1_MAX_STATEMENT_BYTES}",
            )


def too_many_arguments(context: FileContext) -> Iterator[Hit]:
    """A function call with more than 32 arguments (json_object with 17 pairs)."""
    for parsed in context.statements:
        if parsed.sql.count(",") < D1_MAX_FUNCTION_ARGUMENTS:
            continue
        for call in calls(parsed.sql):
            if call.arguments > D1_MAX_FUNCTION_ARGUMENTS:
                yield Hit(
                    "d1-too-many-arguments",
                    parsed,
                    f"D1 refuses the migration: {call.name}() gets {call.arguments} arguments, "
                    f"D1 allows {D1_MAX_FUNCTION_ARGUMENTS}",
                    call.offset,
                )


def attach(context: FileContext) -> Iterator[Hit]:
    """ATTACH or DETACH."""
    for parsed in context.statements:
        if parsed.words[:1] in (("ATTACH",), ("DETACH",)):
            yield Hit(
                "d1-attach",
                parsed,
                f"D1 refuses the migration: {parsed.words[0]} is not authorized on D1 "
                "(one database per binding)",
            )


def refused_pragma(context: FileContext) -> Iterator[Hit]:
    """A pragma D1 refuses (integrity_check, user_version, journal_mode …)."""
    for parsed in context.statements:
        pragma = parsed.statement.pragma
        if pragma is not None and pragma[0] in D1_REFUSED_PRAGMAS:
            yield Hit(
                "d1-refused-pragma",
                parsed,
                f"D1 refuses the migration: PRAGMA {pragma[0]} is not authorized on D1",
                offset_of(None, parsed, pragma[0]),
            )


def temp_object(context: FileContext) -> Iterator[Hit]:
    """CREATE TEMP TABLE/VIEW/TRIGGER/INDEX."""
    for parsed in context.statements:
        if parsed.words[:1] == ("CREATE",) and parsed.words[1:2] in (("TEMP",), ("TEMPORARY",)):
            yield Hit(
                "d1-temp-object",
                parsed,
                "D1 refuses the migration: TEMP objects are not authorized on D1 (use a "
                "normal table and drop it at the end of the file)",
            )


def reserved_name(context: FileContext) -> Iterator[Hit]:
    """A table or index whose name starts with ``_cf_`` (Cloudflare's own)."""
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE") if "_cf_" in parsed.sql.lower() else None
        if isinstance(tree, exp.Create):
            name = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
            if str(getattr(name, "name", "")).lower().startswith("_cf_"):
                yield Hit(
                    "d1-reserved-name",
                    parsed,
                    f"D1 refuses the migration: names starting _cf_ are Cloudflare's ({name.name})",
                    offset_of(name, parsed),
                )


def vacuum(context: FileContext) -> Iterator[Hit]:
    """VACUUM (D1 manages its storage)."""
    for parsed in context.statements:
        if parsed.words[:1] == ("VACUUM",):
            yield Hit("d1-vacuum", parsed, "D1 refuses the migration: VACUUM is not authorized")


def sqlite_version(context: FileContext) -> Iterator[Hit]:
    """A call to ``sqlite_version()``."""
    for parsed in context.statements:
        if not mentions(parsed.sql, ("sqlite_version",)):
            continue
        for call in calls(parsed.sql):
            if call.name == "sqlite_version":
                yield Hit(
                    "d1-sqlite-version",
                    parsed,
                    "D1 refuses the migration: sqlite_version() is not authorized on D1",
                    call.offset,
                )


_JS_SAFE = 2**53  # Number.MAX_SAFE_INTEGER + 1: D1's JavaScript API reads doubles


def unsafe_integer(context: FileContext) -> Iterator[Hit]:
    """An integer literal no double holds that the file stores (INSERT, UPDATE, DEFAULT).

    SQLite keeps all 64 bits; the application reads and binds D1's values as JavaScript
    numbers, which hold integers exactly only up to 2^53 (D1_SEMANTICS.md): the stored
    9007199254740993 is read as 9007199254740992, and a lookup that binds the number it
    read matches no row. A literal compared in a WHERE stays inside SQLite: not flagged.
    """
    for parsed in context.statements:
        tree = parsed.tree_if("INSERT", "REPLACE", "UPDATE", "CREATE", "WITH")
        if tree is None:
            continue
        for literal in _stored_literals(tree):
            text = literal.this
            if text.isdigit() and int(text) > _JS_SAFE and int(float(text)) != int(text):
                yield Hit(
                    "d1-unsafe-integer",
                    parsed,
                    f"the migration stores {text}, beyond 2^53: the application reads D1's "
                    "integers as JavaScript numbers and gets "
                    f"{int(float(text))} instead, and a lookup by the value it read matches "
                    "no row",
                    max(parsed.sql.find(text), 0),
                )


def _stored_literals(tree: exp.Expr) -> Iterator[exp.Literal]:
    """The numeric literals a statement writes into rows (not those it compares)."""
    places: list[exp.Expr] = []
    if isinstance(tree, exp.Insert) and tree.expression is not None:
        places.append(tree.expression)
    elif isinstance(tree, exp.Update):
        places.extend(a.expression for a in tree.expressions if isinstance(a, exp.EQ))
    elif isinstance(tree, exp.Create):
        places.extend(tree.find_all(exp.DefaultColumnConstraint))
    for place in places:
        for literal in place.find_all(exp.Literal):
            if literal.is_number and not _compared(literal, place):
                yield literal


def _compared(literal: exp.Literal, top: exp.Expr) -> bool:
    """Whether ``literal`` sits in a WHERE (or a JOIN's ON) below ``top``."""
    node: exp.Expr | None = literal.parent
    while node is not None and node is not top:
        if isinstance(node, exp.Where | exp.Join):
            return True
        node = node.parent
    return False


def unterminated(context: FileContext) -> Iterator[Hit]:
    """A last statement without ``;``: wrangler appends its tracking INSERT to it."""
    if context.direction == "up" and context.statements:
        last = context.statements[-1]
        if not last.statement.terminated:
            yield Hit(
                "d1-unterminated",
                last,
                "the migration fails under wrangler with 'near \"INSERT\": syntax error': "
                "wrangler appends its tracking INSERT to a last statement without ';'",
                len(last.sql),
            )


RULES: tuple[Rule, ...] = tuple(
    _d1_only(rule)
    for rule in (
        too_many_columns,
        statement_too_long,
        too_many_arguments,
        attach,
        refused_pragma,
        temp_object,
        reserved_name,
        vacuum,
        sqlite_version,
        unterminated,
        unsafe_integer,
    )
)
