"""A sample of a large database, closed under foreign keys and the same for the same seed.

A migration's defects show in a few rows (two e-mails equal but for case, one NULL), so
``N`` rows per table find most of them at a fraction of the memory; every sampled child
brings its parents, so the sample is a state production could be in and a rebuild's
foreign key check does not fail on rows the sample cut off.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Collection, Iterable, Sequence

from migration_harness.schema.model import quote

Key = tuple[object, ...]


def copy_sample(
    dst: sqlite3.Connection,
    alias: str,
    per_table: int,
    seed: int,
    whole: Collection[str] = (),
) -> dict[str, int]:
    """Copy up to ``per_table`` rows of every table of ``alias`` into ``dst``'s main schema.

    ``dst`` already holds the tables (empty); parents of sampled rows are added until no
    foreign key points outside the sample. Tables in ``whole`` (the runners' tracking
    tables: a sampled one would lose the version) are copied entire. Returns the rows
    copied per table.
    """
    tables = _tables(dst)
    keys = {t: _key_columns(dst, alias, t) for t in tables}
    chosen: dict[str, set[Key]] = {}
    for table in tables:
        cursor = dst.execute(_select(keys[table], alias, table, order=True))
        if table in whole:
            chosen[table] = {tuple(r) for r in cursor}
        else:
            chosen[table] = set(_reservoir(cursor, per_table, random.Random(f"{seed}:{table}")))
    _close_under_foreign_keys(dst, alias, tables, keys, chosen)
    for table in tables:
        where = " AND ".join(f"{quote(c)} IS ?" for c in keys[table])
        columns = ", ".join(quote(c[1]) for c in dst.execute(f"PRAGMA table_info({quote(table)})"))
        dst.executemany(
            f"INSERT INTO main.{quote(table)} ({columns}) "
            f"SELECT {columns} FROM {alias}.{quote(table)} WHERE {where}",
            sorted(chosen[table], key=repr),
        )
    return {t: len(rows) for t, rows in chosen.items()}


def _reservoir(rows: Iterable[Sequence[object]], size: int, rng: random.Random) -> list[Key]:
    """``size`` rows drawn uniformly from a stream, holding only ``size`` at a time.

    Algorithm R: memory stays bounded by the sample, not the table, and the same seed over
    the same (ordered) rows draws the same sample.
    """
    kept: list[Key] = []
    for seen, row in enumerate(rows):
        if seen < size:
            kept.append(tuple(row))
        else:
            slot = rng.randrange(seen + 1)
            if slot < size:
                kept[slot] = tuple(row)
    return kept


def _tables(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables of the copy, in creation order (virtual tables keep no rows here)."""
    return [
        name
        for name, sql in conn.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
        )
        if not str(sql).upper().startswith("CREATE VIRTUAL")
    ]


def _key_columns(conn: sqlite3.Connection, alias: str, table: str) -> tuple[str, ...]:
    """``rowid``, or the primary key of a ``WITHOUT ROWID`` table."""
    try:
        conn.execute(f"SELECT rowid FROM {alias}.{quote(table)} LIMIT 0")
    except sqlite3.OperationalError:
        info = conn.execute(f"PRAGMA {alias}.table_info({quote(table)})").fetchall()
        return tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
    return ("rowid",)


def _select(keys: Sequence[str], alias: str, table: str, *, order: bool = False) -> str:
    columns = ", ".join(quote(c) if c != "rowid" else "rowid" for c in keys)
    tail = f" ORDER BY {columns}" if order else ""
    return f"SELECT {columns} FROM {alias}.{quote(table)}{tail}"


def _close_under_foreign_keys(
    conn: sqlite3.Connection,
    alias: str,
    tables: list[str],
    keys: dict[str, tuple[str, ...]],
    chosen: dict[str, set[Key]],
) -> None:
    """Add the parents of chosen rows until every chosen child's parent is chosen."""
    by_lower = {t.lower(): t for t in tables}
    fks = {t: _foreign_keys(conn, alias, t) for t in tables}
    todo = {t: set(rows) for t, rows in chosen.items()}
    while any(todo.values()):
        added: dict[str, set[Key]] = {t: set() for t in tables}
        for table, rows in todo.items():
            for parent_name, columns, other in fks[table]:
                parent = by_lower.get(parent_name.lower())
                if parent is None:
                    continue
                for key in rows:
                    for found in _parents(conn, alias, (table, keys[table], key), columns,
                                          (parent, keys[parent], other)):  # fmt: skip
                        if found not in chosen[parent]:
                            chosen[parent].add(found)
                            added[parent].add(found)
        todo = added


def _foreign_keys(
    conn: sqlite3.Connection, alias: str, table: str
) -> list[tuple[str, list[str], list[str | None]]]:
    """``(parent, child columns, parent columns)`` per foreign key (``None``: its key)."""
    grouped: dict[int, tuple[str, list[str], list[str | None]]] = {}
    for row in conn.execute(f"PRAGMA {alias}.foreign_key_list({quote(table)})"):
        entry = grouped.setdefault(row[0], (row[2], [], []))
        entry[1].append(row[3])
        entry[2].append(row[4])
    return list(grouped.values())


def _parents(
    conn: sqlite3.Connection,
    alias: str,
    child: tuple[str, tuple[str, ...], Key],
    columns: list[str],
    parent: tuple[str, tuple[str, ...], list[str | None]],
) -> list[Key]:
    """Keys of the parent rows one child row references (none when a column is NULL)."""
    table, child_keys, key = child
    where = " AND ".join(f"{quote(c) if c != 'rowid' else 'rowid'} IS ?" for c in child_keys)
    cols = ", ".join(quote(c) for c in columns)
    values = conn.execute(
        f"SELECT {cols} FROM {alias}.{quote(table)} WHERE {where}", key
    ).fetchone()
    if values is None or any(v is None for v in values):
        return []
    name, parent_keys, other = parent
    if any(c is None for c in other):
        pk = _primary_key(conn, alias, name)
        other = list(pk) if pk else ["rowid"]
    match = " AND ".join(f"{quote(str(c)) if c != 'rowid' else 'rowid'} = ?" for c in other)
    sql = _select(parent_keys, alias, name) + f" WHERE {match}"
    return [tuple(r) for r in conn.execute(sql, tuple(values))]


def _primary_key(conn: sqlite3.Connection, alias: str, table: str) -> tuple[str, ...]:
    info = conn.execute(f"PRAGMA {alias}.table_info({quote(table)})").fetchall()
    return tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
