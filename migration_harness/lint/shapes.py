"""Shapes the rules share: table names in trees, copies, and rebuilds of a table.

A *rebuild* is SQLite's way to change what ALTER TABLE cannot: create a new table, copy
the rows, drop the old one and give the new one its name (or rename the old one away
first). Several rules judge the copy, so the pattern is found once per file here, by
following each table's storage through renames and drops, not by matching names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.schema.model import Schema, Table


def name_of(node: exp.Expr | None) -> str:
    """The lower-cased object name of a ``Table`` (or anything with a name)."""
    if node is None:
        return ""
    if isinstance(node, exp.Schema):
        node = node.this
    return str(node.name).lower() if node is not None else ""


def dropped(tree: exp.Expr | None, kind: str = "TABLE") -> exp.Expr | None:
    """The object node a ``DROP <kind>`` statement names; ``None`` for anything else."""
    if not isinstance(tree, exp.Drop) or str(tree.args.get("kind")).upper() != kind:
        return None
    tables = tree.args.get("tables") or [tree.this]
    node = tables[0]
    return node if isinstance(node, exp.Expr) else None


def table_in(schema: Schema, name: str) -> Table | None:
    """The table called ``name`` (any case) in ``schema``."""
    return schema.by_lower_name.get(name.lower())


def changed_tables(before: Schema, after: Schema) -> list[str]:
    """Tables of ``after`` that are new or differ from ``before``.

    Table records are shared while a table's SQL does not change, so the identity test
    settles most tables and a file costs in proportion to what it touches. After an
    ``ALTER`` the replay reads the whole schema again and every record is new: equal
    records are then unchanged tables (pocket-id's ADD COLUMN files re-reported every
    foreign key of the schema as new).
    """
    return [
        n for n, t in after.tables.items() if (old := before.tables.get(n)) is not t and old != t
    ]


def statement_about(context: FileContext, name: str) -> Parsed:
    """The file's last statement that creates or alters ``name`` (else its last one)."""
    found = context.statements[-1]
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE", "ALTER")
        if isinstance(tree, exp.Create | exp.Alter) and name_of(tree.this) == name.lower():
            found = parsed
    return found


def statement_defining(context: FileContext, name: str) -> Parsed:
    """The statement that gave table ``name`` its final definition in the file.

    A CREATE of the table, or of the table later renamed to it (a rebuild's ``*_new``), or
    the last ALTER of it; the file's last statement when none did.
    """
    defined: dict[str, Parsed] = {}
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE", "ALTER")
        if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "TABLE":
            defined[name_of(tree.this)] = parsed
        elif isinstance(tree, exp.Alter):
            old = name_of(tree.this)
            renamed = [a for a in tree.args.get("actions") or () if isinstance(a, exp.AlterRename)]
            if renamed:
                defined[name_of(renamed[0].this)] = defined.pop(old, parsed)
            else:
                defined[old] = parsed
    return defined.get(name.lower(), context.statements[-1])


def sources(select: exp.Expr) -> list[str]:
    """Lower-cased names of every table a SELECT mentions, subqueries in its expressions too."""
    return [name_of(t) for t in select.find_all(exp.Table)]


def row_sources(select: exp.Expr) -> list[exp.Expr]:
    """What a SELECT takes its rows from: its FROM and JOIN items, in order.

    A subquery in the select list or the WHERE (``WHERE NOT EXISTS (SELECT 1 FROM t …)``)
    reads a table without giving the SELECT a single row, so it is no row source; a
    ``SELECT 'x', 1 WHERE …`` has none at all (one row of constants).
    """
    if not isinstance(select, exp.Select):
        return []
    found: list[exp.Expr] = []
    clause = select.args.get("from_")
    if isinstance(clause, exp.From) and isinstance(clause.this, exp.Expr):
        found.append(clause.this)
    found += [j.this for j in select.args.get("joins") or () if isinstance(j.this, exp.Expr)]
    return found


def row_tables(select: exp.Expr, ctes: dict[str, exp.Expr] | None = None) -> list[str]:
    """Lower-cased names of the stored tables a SELECT's rows come from, in FROM/JOIN order.

    A FROM subquery and a CTE (``ctes``: name -> its query) are followed to their own row
    sources; a table-valued function (``json_each``) names no stored table.
    """
    names: list[str] = []
    for item in row_sources(select):
        if isinstance(item, exp.Subquery):
            names += row_tables(item.this, ctes)
        elif isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
            query = (ctes or {}).get(name_of(item))
            names += row_tables(query) if query is not None else [name_of(item)]
    return names


def ctes_of(tree: exp.Expr) -> dict[str, exp.Expr]:
    """The statement's common table expressions, lower-cased name -> query."""
    clause = tree.args.get("with_")
    if not isinstance(clause, exp.With):
        return {}
    return {c.alias.lower(): c.this for c in clause.expressions if isinstance(c, exp.CTE)}


def written_values(insert: exp.Insert, order: Sequence[str] = ()) -> dict[str, exp.Expr] | None:
    """What an ``INSERT … SELECT`` writes into each column, lower-cased name -> expression.

    The INSERT's column list names the columns; without one, ``order`` (the target's
    writable columns) does. Aliases are unwrapped. ``None`` where the select list does not
    line up with the columns (``SELECT *``, a count that differs, no list and no order).
    """
    select = insert.expression
    if not isinstance(select, exp.Select):
        return None
    if isinstance(insert.this, exp.Schema):
        into = [name_of(c) for c in insert.this.expressions]
    else:
        into = [c.lower() for c in order]
    values = select.expressions
    if not into or len(into) != len(values) or any(isinstance(v, exp.Star) for v in values):
        return None
    return {
        column: value.this if isinstance(value, exp.Alias) else value
        for column, value in zip(into, values, strict=True)
    }


@dataclass(frozen=True, slots=True)
class Copy:
    """``INSERT INTO target … SELECT … FROM source``: rows moved from one table to another.

    Attributes:
        parsed: the statement.
        insert: its tree.
        select: the SELECT it copies from.
        target: the table written, as named then.
        source_origins: the original tables the rows come from (before any rename).
        target_origin: the storage the target was then (``+name`` for a table the file made).

    """

    parsed: Parsed
    insert: exp.Insert
    select: exp.Select
    target: str
    source_origins: tuple[str, ...]
    target_origin: str

    @property
    def columns(self) -> list[str] | None:
        """The INSERT's column list, lower-cased; ``None`` when it has none."""
        if isinstance(self.insert.this, exp.Schema):
            return [name_of(c) for c in self.insert.this.expressions]
        return None


@dataclass(frozen=True, slots=True)
class Rebuild:
    """A table replaced by a new one under the same name in one file.

    Attributes:
        name: the table's name before and after.
        old / new: its definition before and after the file.
        drop: the DROP TABLE that removed the old rows.
        copies: the statements that copied rows from the old table into the new one.
        carried: whether the new table holds the old rows by any copy the file made,
            ``CREATE TABLE new AS SELECT … FROM old`` included (which is no INSERT).

    """

    name: str
    old: Table
    new: Table
    drop: Parsed
    copies: tuple[Copy, ...]
    carried: bool = False


def copies(context: FileContext) -> list[Copy]:
    """Every INSERT … SELECT of the file, with where its rows come from and go."""
    return _walk(context)[0]


def rebuilds(context: FileContext) -> list[Rebuild]:
    """The tables this file rebuilds (dropped and replaced under the same name)."""
    found, gone, final, carried = _walk(context)
    result = []
    for origin, drop in gone.items():
        old = table_in(context.before, origin)
        new = table_in(context.after, origin)
        if old is None or new is None:
            continue
        into = final.get(origin, "")
        mine = tuple(c for c in found if origin in c.source_origins and c.target_origin == into)
        held = origin in carried.get(into, set())
        result.append(Rebuild(old.name, old, new, drop, mine, carried=held or bool(mine)))
    return result


def rebuilds_with_rows(context: FileContext) -> list[Rebuild]:
    """The file's rebuilds of tables that can hold application rows when it runs.

    Not those an earlier file of its ship group created (:attr:`FileContext.empty`):
    their rows, if any, are the group's own, so rules about rows a rebuild loses or
    refuses have nothing to say of them.
    """
    return [r for r in rebuilds(context) if context.holds_rows(r.name)]


_Walk = tuple[list[Copy], dict[str, Parsed], dict[str, str], dict[str, set[str]]]


def _walk(context: FileContext) -> _Walk:
    """Follow each table's storage through CREATE, RENAME and DROP (once per file)."""
    memo = context.memo.get("walk")
    if memo is None:
        memo = _walk_once(context)
        context.memo["walk"] = memo
    return memo  # type: ignore[return-value]


def _walk_once(context: FileContext) -> _Walk:
    """:func:`_walk` without the memo; CREATEs are parsed only in files that DROP a table."""
    origin = {name.lower(): name.lower() for name in context.before.tables}
    # A table the file made holds the rows of the tables copied into it: a backup made
    # with CREATE TABLE bak AS SELECT … FROM t (or INSERT … SELECT) carries t's rows, so
    # copying bak back into the rebuilt t is t's copy (Mail-Otter 0017's rebuild).
    carried: dict[str, set[str]] = {}
    removed: dict[str, Parsed] = {}
    found: list[Copy] = []
    drops = any(p.words[:2] == ("DROP", "TABLE") for p in context.statements)
    for parsed in context.statements:
        if parsed.error is not None:
            continue
        word = parsed.words[:1]
        if word == ("CREATE",) and drops:
            tree = parsed.tree
            if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "TABLE":
                made = "+" + name_of(tree.this)
                origin[name_of(tree.this)] = made
                if isinstance(tree.expression, exp.Query):
                    carried[made] = _carried(sources(tree.expression), origin, carried)
        elif word == ("ALTER",):
            tree = parsed.tree
            for action in tree.args.get("actions") or () if isinstance(tree, exp.Alter) else ():
                if isinstance(action, exp.AlterRename) and isinstance(tree, exp.Alter):
                    old = name_of(tree.this)
                    origin[name_of(action.this)] = origin.pop(old, old)
        elif word == ("DROP",) and (node := dropped(parsed.tree)) is not None:
            gone = origin.pop(name_of(node), None)
            if gone is not None and not gone.startswith("+"):
                removed[gone] = parsed
        elif word in (("INSERT",), ("REPLACE",)) and "SELECT" in parsed.sql.upper():
            copy = _copy(parsed, origin, carried)
            if copy is not None:
                found.append(copy)
                if copy.target_origin.startswith("+"):
                    carried.setdefault(copy.target_origin, set()).update(copy.source_origins)
    return found, removed, origin, carried


def _carried(names: list[str], origin: dict[str, str], carried: dict[str, set[str]]) -> set[str]:
    """The storages whose rows a SELECT over ``names`` reads, through the file's backups."""
    found = {origin.get(n, n) for n in names}
    for storage in list(found):
        found |= carried.get(storage, set())
    return found


def _copy(parsed: Parsed, origin: dict[str, str], carried: dict[str, set[str]]) -> Copy | None:
    """The copy an INSERT … SELECT makes, with the storage of both sides."""
    tree = parsed.tree
    if not (isinstance(tree, exp.Insert) and isinstance(tree.expression, exp.Select)):
        return None
    target = name_of(tree.this)
    return Copy(
        parsed,
        tree,
        tree.expression,
        target,
        tuple(sorted(_carried(sources(tree.expression), origin, carried))),
        origin.get(target, target),
    )
