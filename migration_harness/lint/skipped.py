"""A guarded CREATE that meets another definition under its name does nothing.

``CREATE TABLE IF NOT EXISTS users (…, display_name TEXT)`` in a later file, after an
earlier file made ``users`` without ``display_name``, is skipped by SQLite without a word:
the column never exists on any database, fresh or upgraded, and every write naming it
fails. ``CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users (email)`` over an
earlier plain index of that name is skipped too: email is never unique, duplicates get
in, and an ``ON CONFLICT (email)`` upsert fails ('ON CONFLICT clause does not match any
PRIMARY KEY or UNIQUE constraint'); so is a table re-declared with a new UNIQUE column.
A view or trigger "changed" by ``CREATE VIEW IF NOT EXISTS`` keeps its old body. An empty
test database applies every one of these files.

Only what the skip certainly costs is judged: a table's column names and UNIQUE keys (not
types, defaults or spelling), a UNIQUE index whose key the index already there does not
enforce (a plain index with other columns only costs speed), a view's or trigger's body
(normalised). Only forward files, and only an object an earlier statement made (the
schema this statement meets, exact here: context.py reads it again before a guarded
CREATE); a file re-run on purpose meets its own definition.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.keys import keys_of
from migration_harness.lint.shapes import name_of, table_in
from migration_harness.schema.model import schema_from_sql
from migration_harness.schema.records import Trigger, View
from migration_harness.schema.sqltext import normalise_sql
from migration_harness.sets.tokens import object_named, tokens


def guarded_create_skipped(context: FileContext) -> Iterator[Hit]:
    """A CREATE … IF NOT EXISTS that SQLite skips over another definition of its name."""
    if context.direction != "up":
        return
    for parsed in context.statements:
        found = skipped(parsed)
        if found is not None:
            node, message = found
            yield Hit("guarded-create-skipped", parsed, message, offset_of(node, parsed))


def skipped(parsed: Parsed) -> tuple[exp.Expr | None, str] | None:
    """Where and why a guarded CREATE is skipped, with what it costs (``None``: it runs)."""
    if parsed.words[:1] != ("CREATE",) or "IF" not in parsed.sql.upper():
        return None
    if parsed.words[1:2] in (("VIEW",), ("TRIGGER",)):
        return _body(parsed)
    tree = parsed.tree_if("CREATE")
    if not (isinstance(tree, exp.Create) and tree.args.get("exists")):
        return None
    if isinstance(tree.this, exp.Index):
        return _index(parsed, tree, tree.this)
    if isinstance(tree.this, exp.Schema) and str(tree.args.get("kind", "")).upper() == "TABLE":
        return _table(parsed, tree.this)
    return None


def _table(parsed: Parsed, schema: exp.Schema) -> tuple[exp.Expr, str] | None:
    """A table already there with other column names."""
    name = name_of(schema.this)
    known = table_in(parsed.before, name)
    if known is None or known.virtual:
        return None
    declared = [d.name for d in schema.expressions if isinstance(d, exp.ColumnDef)]
    have = {c.name.lower() for c in known.columns}
    missing = [c for c in declared if c.lower() not in have]
    if not declared:
        return None
    if not missing:
        return _keys(parsed, schema, name)
    listed = ", ".join(missing)
    return (
        schema.this,
        f"the statement does nothing: table {name} already exists without {listed}, so "
        f"{'that column never exists' if len(missing) == 1 else 'those columns never exist'}"
        " on any database and every write naming one fails (IF NOT EXISTS skips the whole "
        "definition)",
    )


def _keys(parsed: Parsed, schema: exp.Schema, name: str) -> tuple[exp.Expr, str] | None:
    """A table already there with its columns, but without a UNIQUE key the file declares.

    The declared table is built alone on a scratch database (keys off: its parents need
    not exist) and its keys compared with the existing table's; a declared key holding an
    existing key whole is enforced already.
    """
    known = table_in(parsed.before, name)
    try:
        declared = table_in(schema_from_sql(parsed.sql), name)
    except sqlite3.Error:
        return None
    if known is None or declared is None:
        return None
    have = [set(columns) for columns, _ in keys_of(known)]
    lost = [
        columns for columns, _ in keys_of(declared) if not any(key <= set(columns) for key in have)
    ]
    if not lost:
        return None
    key = ", ".join(lost[0])
    return (
        schema.this,
        f"the statement does nothing: table {name} already exists without UNIQUE ({key}), "
        "so that key is never enforced on any database: duplicates get in and an ON "
        "CONFLICT upsert on it fails (IF NOT EXISTS skips the whole definition)",
    )


def _index(parsed: Parsed, tree: exp.Create, index: exp.Index) -> tuple[exp.Expr, str] | None:
    """A UNIQUE index whose name an index that does not enforce its key already holds."""
    if not tree.args.get("unique"):
        return None
    name = name_of(index).lower()
    there = next((i for i in parsed.before.indexes if i.name.lower() == name), None)
    params = index.args.get("params")
    if there is None or params is None:
        return None
    columns: list[str] = []
    for item in params.args.get("columns") or ():
        node = item.this if isinstance(item, exp.Ordered) else item
        if not isinstance(node, exp.Column):
            return None  # an expression key: not compared
        columns.append(node.name.lower())
    table = name_of(index.args.get("table")).lower()
    same_key = (
        there.table.lower() == table and [(n or "").lower() for n in there.plain_columns] == columns
    )
    if there.unique and same_key and (there.where is None or params.args.get("where")):
        return None  # the key is enforced already (a partial one: compared no further)
    what = "a plain index" if not there.unique else "a UNIQUE index on another key"
    on = ", ".join(columns)
    return (
        index,
        f"the statement does nothing: {what} named {name_of(index)} already exists "
        f"({there.table}({', '.join(there.columns)})), so {table}({on}) is never unique: "
        "duplicates get in and an ON CONFLICT upsert on that key fails (IF NOT EXISTS "
        "skips by name)",
    )


def _body(parsed: Parsed) -> tuple[exp.Expr | None, str] | None:
    """A view or trigger already there under the name with another body.

    Compared in SQLite's stored text, normalised (case, spacing, quoting and the guard
    folded away: :func:`~migration_harness.schema.sqltext.normalise_sql`).
    """
    named = object_named(parsed.sql, "CREATE", ("VIEW", "TRIGGER"))
    if named is None or not _guarded(parsed.sql):
        return None
    kind, name = named
    there: list[View | Trigger] = [
        *(v for v in parsed.before.views if v.name.lower() == name),
        *(t for t in parsed.before.triggers if t.name.lower() == name),
    ]
    if not there or there[0].sql == normalise_sql(parsed.sql):
        return None
    cost = (
        "every read of the view keeps the old definition (columns the new one adds never "
        "exist: readers naming them fail)"
        if kind == "VIEW"
        else "the trigger keeps its old body: what the new one does never happens"
    )
    return (
        None,
        f"the statement does nothing: a {kind.lower()} named {name} already exists with "
        f"another body, so {cost} (IF NOT EXISTS skips by name; DROP it first)",
    )


def _guarded(sql: str) -> bool:
    """Whether the CREATE says IF NOT EXISTS (a plain one fails loudly instead)."""
    words = [t.word for t in tokens(sql) or ()]
    return any(words[i : i + 3] == ["IF", "NOT", "EXISTS"] for i in range(len(words)))


RULES: tuple[Rule, ...] = (guarded_create_skipped,)
