"""Tables the set only ever fills with copies of other tables' rows: backups and snapshots.

``CREATE TABLE items_backup AS SELECT * FROM items`` keeps a copy of ``items`` as it was
when the file ran; the rollback restores from it. Its rows are only what the copy put
there: each one a row of ``items`` that met ``items``' constraints, with the values
``items`` held. Generated rows of its own (a NULL ``name``, since ``CREATE … AS SELECT``
keeps no constraint, under an ``id`` ``items`` still holds) are rows no copy makes: a
rollback that restores them fails on data production never holds (MH131), and a re-run
or a loss is measured on them for nothing. The copies themselves are still exercised,
by every check that applies the file on rows of ``items`` (the history's rollbacks
among them).

A table counts where every CREATE of it in the set is ``CREATE TABLE … AS SELECT``, or a
declared one that the same file fills with ``INSERT … SELECT``; and every other write to it
in the set's files is such a copy or a ``DELETE``. A name that is renamed (a rebuild's
``items_new``), altered, indexed, seeded with ``VALUES`` or updated is a table of the
application's, and keeps its generated rows. So is a copy whose source the same file then
drops or drops a column of: that is data moved (a column split into its own table), and
the copy is where those values live from then on, written by the application like any
table; a rollback that loses them loses data. (A source the file only deletes rows from
still holds its other rows and its shape: the copy is the backup a rollback restores.)
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from migration_harness.checks.statements import parse
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import split_statements


def copy_only_tables(migrations: Iterable[Migration]) -> frozenset[str]:
    """Lower-cased names of the tables the set fills only with copies (see the module).

    Created by the up files only: a rollback that makes one is writing it its own way.
    """
    created: set[str] = set()
    written: set[str] = set()  # any other way: the application's table
    for migration in migrations:
        made, other = _file(migration.up_sql)
        created |= made
        written |= other
        made, other = _file(migration.down_sql or "")
        written |= made | other
    return frozenset(created - written)


def _file(sql: str) -> tuple[set[str], set[str]]:
    """``(tables created as copies, tables written or declared otherwise)`` in one file."""
    copies: set[str] = set()  # CREATE TABLE … AS SELECT
    declared: set[str] = set()  # CREATE TABLE … (columns)
    filled: set[str] = set()  # INSERT … SELECT targets
    other: set[str] = set()
    sources: dict[str, set[str]] = {}  # copy target -> the tables its SELECT reads
    emptied: set[str] = set()  # tables the file drops or drops a column of
    for statement in split_statements(sql):
        tree = parse(statement.sql)
        if isinstance(tree, exp.Create):
            _created(tree, copies, declared, other)
            if isinstance(tree.expression, exp.Select | exp.SetOperation):
                target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
                sources.setdefault(_name(target), set()).update(_named(tree.expression))
        elif isinstance(tree, exp.Insert):
            (filled if _is_copy(tree) else other).add(_name(tree.this))
            if _is_copy(tree):
                sources.setdefault(_name(tree.this), set()).update(_named(tree.expression))
        elif isinstance(tree, exp.Update | exp.Alter):
            other.add(_name(tree.this))
            other |= {_name(a.this) for a in tree.args.get("actions") or () if _is_rename(a)}
            if isinstance(tree, exp.Alter) and any(
                isinstance(a, exp.Drop) for a in tree.args.get("actions") or ()
            ):
                emptied.add(_name(tree.this))
        elif isinstance(tree, exp.Drop) and str(tree.args.get("kind") or "").upper() == "TABLE":
            emptied |= _named(tree)
        elif not isinstance(tree, exp.Select) and tree is not None:
            other |= _named(tree)
    # a declared table is a copy only where this same file fills it with one; a copy
    # whose source the file then empties holds moved data (the module's docstring)
    made = copies | (declared & filled)
    moved = {t for t in made if sources.get(t, set()) & emptied}
    return made - moved, other | (declared - filled) | moved


def _created(tree: exp.Create, copies: set[str], declared: set[str], other: set[str]) -> None:
    """Sort one CREATE: a copy (``AS SELECT``), a declared table, or anything else."""
    kind = str(tree.args.get("kind") or "").upper()
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    if kind == "TABLE" and isinstance(tree.expression, exp.Select | exp.SetOperation):
        copies.add(_name(target))
    elif kind == "TABLE":
        declared.add(_name(target))
    elif kind == "INDEX":
        other.add(_name(target.args.get("table") if isinstance(target, exp.Index) else None))
    else:  # a view or trigger naming it: the application reads or writes it
        other |= _named(tree)


def _is_copy(insert: exp.Insert) -> bool:
    """An ``INSERT … SELECT`` (not ``VALUES``, not ``DEFAULT VALUES``)."""
    return isinstance(insert.expression, exp.Select | exp.SetOperation)


def _is_rename(action: exp.Expr) -> bool:
    return isinstance(action, exp.AlterRename)


def _named(tree: exp.Expr) -> set[str]:
    """Every table a statement names (a trigger's body, a command sqlglot cannot read)."""
    return {_name(t) for t in tree.find_all(exp.Table)}


def _name(node: exp.Expr | None) -> str:
    """A table node's lower-cased name (a Schema's table too)."""
    if isinstance(node, exp.Schema):
        node = node.this
    return str(node.name).lower() if isinstance(node, exp.Table) else ""
