"""Rows a file removes on purpose: its own ``DELETE`` and the foreign keys that follow it.

``DELETE FROM job WHERE status IN ('COMPLETED', …)`` says which jobs go; their execution
logs (``ON DELETE CASCADE``) go with them and the steps pointing at them lose the link
(``ON DELETE SET NULL``). That is the schema doing what the file asked for, as surely as
the deleted jobs themselves, so the loss is a declared change (MH142) naming the
``DELETE``. Three things make the same cascade an accident instead, and keep it MH141:

- the file ``DROP``s a table whose implicit delete can reach the same rows (a rebuild's
  ``DROP TABLE job`` cascades whether or not a ``DELETE`` is also there: alook 0017/0025,
  rust-srec 20260318): nothing tells the two apart, so the drop is blamed;
- the file turns foreign keys off before its ``DELETE``: it asked for no cascade, and one
  happens only because the runner ignores the pragma (that is ``runner_conflict``'s
  effect, not the file's word);
- the file puts rows back into the table it deleted from (``DELETE FROM job; INSERT INTO
  job SELECT … FROM job_backup``): the parents return, the children the ``DELETE`` took
  with it do not. The author rewrote the parents, and did not mean to empty the children.

Read from the file's statements with sqlglot and from the foreign keys of the schema before
it, never from the example.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlglot import exp

from migration_harness.checks.statements import parse
from migration_harness.schema.model import Schema, Table, table_map
from migration_harness.sets.sql import Statement

_NULLING = frozenset({"SET NULL", "SET DEFAULT"})
_OFF = frozenset({"off", "0", "false", "no"})


@dataclass(frozen=True, slots=True)
class Cascade:
    """What a file's own ``DELETE`` does to one table through foreign keys.

    Attributes:
        statement: the ``DELETE`` (one line, as the file wrote it).
        removes: whether rows of the table go with the deleted rows (``ON DELETE CASCADE``).
        nulls: its columns (lower-cased) that lose their link (``SET NULL``/``SET DEFAULT``).
    """

    statement: str
    removes: bool
    nulls: frozenset[str]

    def describe(self, table: str) -> str:
        """What happens to ``table``, and the ``DELETE`` that does it."""
        what = "rows go with" if self.removes else f"{', '.join(sorted(self.nulls))} unlinked from"
        return f"{table} {what} the rows the file deletes: {self.statement}"


def cascade_of_delete(
    table: str,
    statements: Iterable[Statement],
    before: Schema,
    emptied: Collection[str] = (),
) -> Cascade | None:
    """The file's own ``DELETE`` whose foreign-key actions reach ``table``, if that is all.

    ``None`` when no ``DELETE`` of the file reaches it, when a ``DROP TABLE`` of the file
    can reach it too, or when the file inserts again into the table it deleted from.
    ``emptied``: tables (lower-cased, as their ``DROP`` names them) the file drops and
    re-creates empty on purpose (:func:`~migration_harness.checks.recreated.recreated_empty`):
    their ``DROP`` is a ``DELETE`` of every row, so what it takes with it is declared too
    (tabby 0027 drops its provider table and re-creates it empty; the providers'
    repositories go with them through ``ON DELETE CASCADE``).
    """
    tables = table_map(before)
    table = table.lower()
    deletes, dropped, refilled = _writes(list(statements), {t.lower() for t in emptied})
    if table in reach(dropped, tables):
        return None
    for target, sql in deletes:
        if target in refilled:
            continue
        removed = reach({target}, tables, cascade_only=True)
        removes = table in removed and table != target
        nulls = _nulled_columns(tables.get(table), removed)
        if removes or nulls:
            return Cascade(" ".join(sql.split()), removes, nulls)
    return None


def _writes(
    statements: list[Statement], emptied: set[str]
) -> tuple[list[tuple[str, str]], set[str], set[str]]:
    """``DELETE`` targets with their SQL, dropped tables, tables refilled after a ``DELETE``.

    Table names are lower-cased. A ``DROP`` of an ``emptied`` table counts as a ``DELETE``
    of it (under the same rule on keys switched off, and a refill of it after the ``DROP``
    keeps its children's loss an accident, as after a ``DELETE``).
    """
    deletes: list[tuple[str, str]] = []
    dropped: set[str] = set()
    refilled: set[str] = set()
    keys_off = False
    for statement in statements:
        pragma = statement.pragma
        if pragma is not None and pragma[0] == "foreign_keys":
            keys_off = pragma[1] in _OFF
            continue
        parsed = parse(statement.sql)
        if isinstance(parsed, exp.Delete) and isinstance(parsed.this, exp.Table):
            if not keys_off:  # under keys OFF the file asked for no cascade at all
                deletes.append((parsed.this.name.lower(), statement.sql))
        elif isinstance(parsed, exp.Drop) and parsed.kind == "TABLE":
            for gone in (t.name.lower() for t in dropped_tables(parsed)):
                if gone not in emptied:
                    dropped.add(gone)
                elif not keys_off:
                    deletes.append((gone, statement.sql))
        elif isinstance(parsed, exp.Insert):
            target = parsed.this.this if isinstance(parsed.this, exp.Schema) else parsed.this
            if isinstance(target, exp.Table) and target.name.lower() in dict(deletes):
                refilled.add(target.name.lower())
    return deletes, dropped, refilled


def dropped_tables(drop: exp.Drop) -> list[exp.Table]:
    """The tables one ``DROP TABLE`` names (sqlglot 30 keeps them under ``tables``)."""
    tables = drop.args.get("tables") or [drop.this]
    return [t for t in tables if isinstance(t, exp.Table)]


def reach(start: set[str], tables: Mapping[str, Table], *, cascade_only: bool = False) -> set[str]:
    """Tables whose rows deleting rows of ``start`` can remove or unlink (transitively)."""
    found = set(start)
    frontier = set(start)
    while frontier:
        following: set[str] = set()
        for name, child in tables.items():
            for fk in child.foreign_keys:
                if fk.other_table.lower() not in frontier:
                    continue
                action = fk.on_delete.upper()
                if action == "CASCADE" and name not in found:
                    following.add(name)  # its rows are deleted in turn
                if action == "CASCADE" or (action in _NULLING and not cascade_only):
                    found.add(name)
        frontier = following
    return found


def _nulled_columns(table: Table | None, removed: set[str]) -> frozenset[str]:
    """Columns of ``table`` whose ``ON DELETE SET NULL/DEFAULT`` points into ``removed``."""
    if table is None:
        return frozenset()
    return frozenset(
        column.lower()
        for fk in table.foreign_keys
        if fk.on_delete.upper() in _NULLING and fk.other_table.lower() in removed
        for column in fk.columns
    )
