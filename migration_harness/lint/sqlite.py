"""SQLite's own rules: what SQLite refuses now, later, or reads differently from the author.

Refusals that depend on the schema only (``DROP COLUMN`` of an indexed column, a syntax
error) come from the replay, in SQLite's own words; the rest from the tree and schema.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Final

import sqlglot
import sqlglot.errors
from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.mends import mended_before
from migration_harness.lint.shapes import (
    changed_tables,
    dropped,
    name_of,
    statement_about,
    statement_defining,
    table_in,
)
from migration_harness.schema.model import ForeignKey, Table
from migration_harness.schema.sqltext import quote
from migration_harness.sets import libsql, parsing
from migration_harness.sets.calls import calls

# First SQLite release with each function or operator (sqlite.org/changes.html).
NEWER_FUNCTIONS: Final = {
    "->": (3, 38, 0),
    "->>": (3, 38, 0),
    "unixepoch": (3, 38, 0),
    "format": (3, 38, 0),
    "unhex": (3, 41, 0),
    "octet_length": (3, 43, 0),
    "timediff": (3, 43, 0),
    "concat": (3, 44, 0),
    "concat_ws": (3, 44, 0),
    "string_agg": (3, 44, 0),
    "jsonb": (3, 45, 0),
    "jsonb_extract": (3, 45, 0),
    "jsonb_object": (3, 45, 0),
    "jsonb_array": (3, 45, 0),
    "json_pretty": (3, 46, 0),
    "if": (3, 48, 0),
    "unistr": (3, 50, 0),
}
# A pre-filter only (tokens decide): a name from the table followed by "(", or an arrow.
_NEWER_NAMES: Final = re.compile(
    "|".join(rf"\b{re.escape(n)}\s*\(" for n in NEWER_FUNCTIONS if n[0].isalpha()) + "|->",
    re.IGNORECASE,
)
_LIBSQL_SHAPE: Final = "ALTER TABLE … ALTER COLUMN … TO (libSQL's)"
_ON: Final = frozenset({"on", "1", "true", "yes"})
_CONSTANT: Final = (exp.Literal, exp.Null, exp.Boolean, exp.HexString)
# SQLite's three time keywords, which are values only unquoted (a DEFAULT of one quoted is text).
_TIME_KEYWORDS: Final = (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime)


def drop_column_refused(context: FileContext) -> Iterator[Hit]:
    """``DROP COLUMN`` SQLite refuses: the column is indexed, a key, or used by a CHECK."""
    for parsed in context.statements:
        tree = parsed.tree_if("ALTER") if parsed.error is not None else None
        if not isinstance(tree, exp.Alter):
            continue
        for action in tree.args.get("actions") or ():
            node = dropped(action, "COLUMN")
            if node is not None:
                yield Hit(
                    "drop-column-refused",
                    parsed,
                    f"the migration fails: SQLite refuses to drop {name_of(node)} ({parsed.error})",
                    offset_of(action, parsed),
                )


def add_column_volatile_default(context: FileContext) -> Iterator[Hit]:
    """``ADD COLUMN`` whose DEFAULT is not a constant (CURRENT_TIMESTAMP, an expression)."""
    for parsed in context.statements:
        tree = parsed.tree_if("ALTER")
        if not isinstance(tree, exp.Alter) or not context.holds_rows(name_of(tree.this)):
            continue
        for action in tree.args.get("actions") or ():
            if not isinstance(action, exp.ColumnDef):
                continue
            for constraint in action.args.get("constraints") or ():
                default = constraint.args.get("kind")
                if isinstance(default, exp.DefaultColumnConstraint) and not _constant(default.this):
                    yield Hit(
                        "add-column-volatile-default",
                        parsed,
                        f"the migration fails as soon as {name_of(tree.this)} has a row: "
                        "SQLite refuses ADD COLUMN with a non-constant default on a "
                        "non-empty table (an empty test database accepts it)",
                        offset_of(action, parsed),
                    )


def _constant(node: exp.Expr | None) -> bool:
    """What ADD COLUMN accepts as a default on a table with rows.

    A bare name (``DEFAULT "text"``, ``DEFAULT abc``, not in parentheses) is a string to
    SQLite's grammar (``DEFAULT id``): drizzle-kit writes string defaults that way. The
    rest is what SQLite's ``valueFromExpr`` (vdbemem.c) can evaluate without a row, which
    ``sqlite3AlterFinishAddColumn`` asks of the default: parentheses, signs and CASTs
    around a literal, NULL, TRUE/FALSE or a blob (``x''``); any operator or function
    call is refused ('Cannot add a column with non-constant default').
    """
    if isinstance(node, exp.Column) and not node.table:
        return True
    return _evaluable(node)


def _evaluable(node: exp.Expr | None) -> bool:
    """A value SQLite's ``valueFromExpr`` computes alone: a literal under (), -, CAST."""
    while isinstance(node, exp.Paren | exp.Neg | exp.Cast):
        node = node.this
    return isinstance(node, _CONSTANT)


def fk_parent_not_unique(context: FileContext) -> Iterator[Hit]:
    """A foreign key whose parent columns are neither the PRIMARY KEY nor UNIQUE.

    A parent table that does not exist once the file has run is the same trap where keys
    are on: SQLite accepts the key and every write to the child fails ('no such table').
    So is a key the file leaves without its parent key, where keys are on (else SQLite
    never looks for the parent): the UNIQUE index it pointed at dropped (or made
    non-unique), the child untouched.

    Every case waits on a connection that enforces keys: where none does, SQLite never
    looks for the parent key, writes succeed, and check reports such a key as the warning
    MH157 (a key nothing enforces). A new key to a non-unique parent used to stay an
    error there.
    """
    if not context.target.keys_enforced:
        return
    for fk in keys_to_missing_tables(context):
        yield Hit(
            "fk-parent-not-unique",
            statement_about(context, fk.table),
            f"every write to {fk.table} fails with 'no such table: {fk.other_table}': "
            f"{fk.describe()} points at a table that does not exist",
        )
    for fk, parent in _new_foreign_keys(context):
        if _parent_index(fk, parent) is None:
            yield Hit(
                "fk-parent-not-unique",
                statement_about(context, fk.table),
                f"every write to {fk.table} fails with 'foreign key mismatch': "
                f"{fk.describe()} points at columns with no PRIMARY KEY or UNIQUE constraint",
            )
    for fk, parent in _unkeyed_foreign_keys(context):
        yield Hit(
            "fk-parent-not-unique",
            _unkeying(context, parent),
            f"every write to {fk.table} fails with 'foreign key mismatch' after this file: "
            f"{fk.describe()} pointed at a UNIQUE key of {parent.name} that the file removes",
        )


def fk_index_collation(context: FileContext) -> Iterator[Hit]:
    """A foreign key whose parent's UNIQUE index uses another collation than the columns."""
    for fk, parent in _new_foreign_keys(context):
        if _parent_index(fk, parent) is False:
            yield Hit(
                "fk-index-collation",
                statement_about(context, fk.table),
                f"every write to {fk.table} fails with 'foreign key mismatch': the UNIQUE "
                f"index on {parent.name} that {fk.describe()} needs uses another collation "
                "than the columns declare",
            )


def _parent_columns(fk: ForeignKey, parent: Table) -> tuple[str, ...]:
    """The parent key: the named columns, or the parent's PRIMARY KEY."""
    return tuple(c.lower() for c in (fk.other_columns or parent.primary_key))


def _parent_index(fk: ForeignKey, parent: Table) -> bool | None:
    """True: a usable parent key; False: only with another collation; None: no key."""
    wanted = set(_parent_columns(fk, parent))
    if not wanted:
        return None
    if wanted == {c.lower() for c in parent.primary_key}:
        return True
    declared = {c.name.lower(): (c.collation or "BINARY") for c in parent.columns}
    found: bool | None = None
    for index in parent.indexes:
        parts = [c.split(" COLLATE ") for c in index.columns]
        if not index.unique or index.is_partial or {p[0].lower() for p in parts} != wanted:
            continue
        collations = {p[0].lower(): (p[1] if len(p) > 1 else None) for p in parts}
        if all((collations[c] or declared.get(c)) == declared.get(c) for c in wanted):
            return True
        found = False
    return found


def _new_foreign_keys(context: FileContext) -> Iterator[tuple[ForeignKey, Table]]:
    """Foreign keys of tables the file changed, with their parent, that are new."""
    for name in changed_tables(context.before, context.after):
        old = context.before.tables.get(name)
        for fk in context.after.tables[name].foreign_keys:
            parent = table_in(context.after, fk.other_table)
            if parent is not None and (old is None or fk not in old.foreign_keys):
                yield fk, parent


def _unkeyed_foreign_keys(context: FileContext) -> Iterator[tuple[ForeignKey, Table]]:
    """Keys the file did not touch whose parent, changed by it, lost the key they use.

    Only a table the file changed that was there before it can be such a parent: a file
    that only creates tables (most of a long history) has none, and is not a pass over
    every key of the schema (7.6 of 52 s at 2,000 tables).
    """
    changed = set(changed_tables(context.before, context.after))
    if not any(table_in(context.before, name) is not None for name in changed):
        return
    for child in context.after.tables.values():
        old_child = context.before.tables.get(child.name)
        for fk in child.foreign_keys:
            parent = table_in(context.after, fk.other_table)
            was = table_in(context.before, fk.other_table)
            if parent is None or was is None or parent.name not in changed:
                continue
            if old_child is None or fk not in old_child.foreign_keys:
                continue  # a new key: judged above
            if _parent_index(fk, parent) is None and _parent_index(fk, was) is not None:
                yield fk, was


def _unkeying(context: FileContext, parent: Table) -> Parsed:
    """The DROP INDEX of one of ``parent``'s indexes, else what last defined the table."""
    names = {index.name.lower() for index in parent.indexes}
    for parsed in context.statements:
        node = dropped(parsed.tree_if("DROP"), "INDEX")
        if node is not None and name_of(node) in names:
            return parsed
    return statement_about(context, parent.name)


def keys_to_missing_tables(context: FileContext) -> Iterator[ForeignKey]:
    """New foreign keys of tables the file changed whose parent table is not there after it."""
    for name in changed_tables(context.before, context.after):
        old = context.before.tables.get(name)
        for fk in context.after.tables[name].foreign_keys:
            missing = table_in(context.after, fk.other_table) is None
            if missing and (old is None or fk not in old.foreign_keys):
                yield fk


def local_sqlite() -> tuple[int, ...]:
    """The SQLite this Python runs: what ``check`` can run here."""
    return tuple(sqlite3.sqlite_version_info)


def function_too_new(context: FileContext) -> Iterator[Hit]:
    """A function or operator newer than the SQLite the target runs on.

    Where that SQLite is not known (a runner's driver brings its own and the config does
    not name it), only one newer than this machine's is reported, as a warning that asks
    for ``sqlite_version``: ``check`` cannot run the file here either, but production may.
    """
    have = context.sqlite_version
    known = have is not None
    have = have if have is not None else local_sqlite()
    for parsed in context.statements:
        if not _NEWER_NAMES.search(parsed.sql):
            continue
        for call in calls(parsed.sql):
            since = NEWER_FUNCTIONS.get(call.name)
            if since is None or since <= have:
                continue
            needs = f"{call.name} needs SQLite {'.'.join(map(str, since))}"
            runs = ".".join(map(str, have))
            if known:
                message = (
                    f"the migration fails with 'no such function' or a syntax error on "
                    f"{context.target.name}: {needs}, the target runs {runs}"
                )
                yield Hit("function-too-new", parsed, message, call.offset)
            else:
                message = (
                    f"the migration fails with 'no such function' or a syntax error on an "
                    f"older SQLite: {needs}; this machine runs {runs}, and "
                    f"{context.target.name}'s driver brings its own (set sqlite_version "
                    "to it in [tool.migration-harness])"
                )
                yield Hit("function-maybe-too-new", parsed, message, call.offset)


def foreign_dialect(context: FileContext) -> Iterator[Hit]:
    """Another database's syntax: DROP INDEX … ON, DROP/ADD CONSTRAINT, ALTER/MODIFY COLUMN."""
    for parsed in context.statements:
        what = _foreign_shape(parsed, context.target.dialect)
        if what is None:
            continue
        hint = f" ({libsql.HINT})" if what == _LIBSQL_SHAPE else ""
        yield Hit(
            "foreign-dialect",
            parsed,
            f"the migration fails with a syntax error: {what} is not SQLite syntax{hint}",
        )


def _foreign_shape(parsed: Parsed, dialect: str) -> str | None:
    """The other dialect's construct the statement uses, named; ``None`` when it is SQLite's.

    libSQL's ``ALTER COLUMN … TO`` is foreign to SQLite only: on a libsql set it runs
    (:mod:`~migration_harness.sets.libsql`), and what it adds is edits_sqlite_schema's.
    """
    if libsql.is_alter_column(parsed.sql):
        return None if dialect == "libsql" else _LIBSQL_SHAPE
    tree = parsed.tree_if("ALTER", "DROP")
    if isinstance(tree, exp.Drop) and tree.args.get("cluster") is not None:
        return "DROP INDEX … ON table (MySQL)"
    if isinstance(tree, exp.Alter):
        for action in tree.args.get("actions") or ():
            if isinstance(action, exp.AlterColumn):
                return "ALTER TABLE … ALTER COLUMN"
            if isinstance(action, exp.AddConstraint):
                return "ALTER TABLE … ADD CONSTRAINT"
            if isinstance(action, exp.Drop) and str(action.args.get("kind")).upper() in (
                "CONSTRAINT",
                "PRIMARY KEY",
                "FOREIGN KEY",
                "INDEX",
            ):
                return f"ALTER TABLE … DROP {str(action.args.get('kind')).upper()}"
    if isinstance(tree, exp.Command) and parsed.words[:2] == ("ALTER", "TABLE"):
        upper = f" {parsed.sql.upper()} "
        for word in ("MODIFY", "CHANGE"):
            if f" {word} " in upper:
                return f"ALTER TABLE … {word} (MySQL)"
    return None


def edits_sqlite_schema(context: FileContext) -> Iterator[Hit]:
    """INSERT/UPDATE/DELETE on sqlite_master (with PRAGMA writable_schema).

    On libSQL, ``ALTER COLUMN`` adding NOT NULL or a CHECK is the same shortcut: libSQL
    rewrites the column's text in ``sqlite_schema`` and reads no row
    (:mod:`~migration_harness.sets.libsql`).
    """
    if context.target.dialect == "libsql":
        yield from _libsql_tightening(context)
    for parsed in context.statements:
        if "sqlite_" not in parsed.sql.lower():
            continue
        tree = parsed.tree_if("INSERT", "UPDATE", "DELETE", "REPLACE")
        if tree is not None and name_of(tree.this) in ("sqlite_master", "sqlite_schema"):
            yield Hit(
                "edits-sqlite-schema",
                parsed,
                "the database can be left corrupt: editing sqlite_master changes what SQLite "
                "believes about the tables without checking a single row against it",
                offset_of(tree.this, parsed),
            )


def _libsql_tightening(context: FileContext) -> Iterator[Hit]:
    """ALTER COLUMN statements (libSQL) adding a constraint no existing row is checked by."""
    for parsed in context.statements:
        altered = libsql.alter_column(parsed.sql)
        table = table_in(parsed.before, altered.table) if altered is not None else None
        if altered is None or table is None or parsed.error is not None:
            continue
        added = [
            c
            for c in libsql.tightened(table.sql, altered)
            if not mended_before(context, parsed, table, _as_test(c, altered.column))
        ]
        if added:
            yield Hit(
                "edits-sqlite-schema",
                parsed,
                f"rows already in {table.name} that break {' and '.join(added)} stay: libSQL's "
                f"ALTER COLUMN writes the new definition of {altered.column} into "
                "sqlite_schema without checking a single row, and integrity_check fails after",
            )


def _as_test(constraint: str, column: str) -> str:
    """An expression true of the rows ``constraint`` (``NOT NULL``, ``CHECK (…)``) admits."""
    if constraint == "NOT NULL":
        return f"{quote(column)} IS NOT NULL"
    return constraint[len("CHECK") :].strip()  # the clause as written: CHECK, any case, then (…)


def ignores_checks(context: FileContext) -> Iterator[Hit]:
    """``PRAGMA ignore_check_constraints = ON``: writes that break CHECKs are let through."""
    for parsed in context.statements:
        pragma = parsed.statement.pragma
        if pragma is not None and pragma[0] == "ignore_check_constraints" and pragma[1] in _ON:
            yield Hit(
                "ignores-check-constraints",
                parsed,
                "rows that break their table's CHECK constraints are written anyway: "
                "integrity_check fails afterwards and the next UPDATE of those rows is refused",
                offset_of(None, parsed, pragma[0]),
            )


def statement_fails(context: FileContext) -> Iterator[Hit]:
    """A statement SQLite refuses on this schema, whatever the data (the replay's error).

    Forward files only: a rollback is replayed on the tables its migration touched, not
    the whole schema, so its "no such table" would not be SQLite's word.
    """
    for parsed in context.statements if context.is_up else ():
        if parsed.error is None or _foreign_shape(parsed, context.target.dialect) is not None:
            continue
        tree = parsed.tree_if("ALTER")
        actions = tree.args.get("actions") or () if isinstance(tree, exp.Alter) else ()
        if any(isinstance(a, exp.Drop) for a in actions):
            continue  # drop-column-refused says it
        yield Hit(
            "statement-fails",
            parsed,
            f"the migration fails at this statement: {parsed.error}",
        )


def dangling_reference(context: FileContext) -> Iterator[Hit]:
    """A view or trigger the file leaves that SQLite cannot compile (it could before).

    The replay's own probe (:func:`~migration_harness.schema.resolve.unresolved`): names
    are resolved by SQLite, never read from the body. The hit is on the statement that
    created the object, else on the file's first DROP or ALTER (what took its table).
    """
    for item in context.dangling:
        yield Hit(
            "dangling-reference",
            _breaking(context, item.name.lower()),
            f"{item.describe()}: the file applies, and SQLite checks a {item.type}'s body "
            "only when it is used",
        )


def default_is_text(context: FileContext) -> Iterator[Hit]:
    """A column DEFAULT written as a quoted string that holds a function call or keyword.

    ``DEFAULT 'CURRENT_TIMESTAMP'`` (or ``"now()"``, ``'datetime(''now'')'``) is text to
    SQLite: every row inserted without the column stores the words, not the time, and
    nothing fails (an ORM's ``default('CURRENT_TIMESTAMP')`` writes exactly this).
    Whether the text is a call is asked of sqlglot, never guessed: ``'pending'`` or
    ``'N/A'`` read as names and operators, and stay quiet. Only columns the file adds or
    whose DEFAULT it changes.
    """
    for name in changed_tables(context.before, context.after):
        old = context.before.tables.get(name)
        before = {c.name.lower(): c.default for c in old.columns} if old else {}
        for column in context.after.tables[name].columns:
            default = column.default
            if default is None or before.get(column.name.lower()) == default:
                continue
            text = _quoted_call(default)
            if text is not None:
                yield Hit(
                    "default-is-text",
                    statement_defining(context, name),
                    f"every {name} row inserted without {column.name} stores the text "
                    f"'{text}', not its value: DEFAULT {default} is a quoted string, which "
                    "SQLite stores as written",
                )


def _quoted_call(default: str) -> str | None:
    """The text of a quoted DEFAULT when it reads as a function call or a time keyword.

    A call is a name and parentheses that sqlglot reads as a function (``now()``,
    ``datetime('now')``); ``'{}'`` (an empty JSON object, which sqlglot reads as a struct)
    and words sqlglot knows as functions without parentheses (``'current_user'``, a
    plausible enum value) are text meant as text.
    """
    if len(default) < 2 or default[0] not in "'\"" or default[-1] != default[0]:
        return None
    text = default[1:-1].replace(default[0] * 2, default[0])
    try:
        tree = parsing.parse_one(text)
    except sqlglot.errors.SqlglotError:
        return None
    if isinstance(tree, _TIME_KEYWORDS):
        return text
    call = isinstance(tree, exp.Func) and text[:1].isalpha() and text.rstrip().endswith(")")
    return text if call else None


def _breaking(context: FileContext, name: str) -> Parsed:
    """The statement creating ``name``, else the first DROP, ALTER, else the last one.

    A DROP before an ALTER: a rebuild that renames the old table away first breaks a
    view when it drops the copy the view followed, not at the rename.
    """
    created = [p for p in context.statements if name in p.creates]
    if created:
        return created[-1]
    for word in ("DROP", "ALTER"):
        changes = [p for p in context.statements if p.words[:1] == (word,)]
        if changes:
            return changes[0]
    return context.statements[-1]


RULES: tuple[Rule, ...] = (
    dangling_reference,
    default_is_text,
    drop_column_refused,
    add_column_volatile_default,
    fk_parent_not_unique,
    fk_index_collation,
    function_too_new,
    foreign_dialect,
    edits_sqlite_schema,
    ignores_checks,
    statement_fails,
)
