"""Reading a schema again only when a step can have changed it (issue 17).

Every per-migration check introspects after each step it runs. On a long history each
read costs in proportion to the schema (``sqlite_master`` read and digested, k tables at
version k), even when the step changed no definition at all (a re-run of a guarded file,
a data-only migration). SQLite bumps ``PRAGMA schema_version`` on every schema change it
makes, so an unchanged cookie on the same connection means an unchanged schema, with
one exception SQLite documents: ``sqlite_master`` edited by hand under ``PRAGMA
writable_schema`` (or a file setting ``schema_version`` itself) leaves the cookie as the
file wants it. A step whose statements do either is always read again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.schema.model import introspect
from migration_harness.schema.records import Schema
from migration_harness.sets.sql import Statement

# Pragmas that let a file change the schema without SQLite bumping the cookie for it.
_COOKIE_PRAGMAS: Final = frozenset({"WRITABLE_SCHEMA", "SCHEMA_VERSION"})


@dataclass(frozen=True, slots=True)
class Seen:
    """A schema read from one connection and the ``schema_version`` it was read at."""

    cookie: int
    schema: Schema
    exclude: frozenset[str]


def schema_cookie(conn: sqlite3.Connection) -> int:
    """``PRAGMA schema_version``: SQLite adds one on each schema change it makes."""
    row = conn.execute("PRAGMA schema_version").fetchone()
    return int(row[0])


def read(conn: sqlite3.Connection, *, exclude: Iterable[str] = ()) -> Seen:
    """Introspect ``conn`` and note the cookie (read first: a change after it re-reads)."""
    skip = frozenset(exclude)
    cookie = schema_cookie(conn)
    return Seen(cookie, introspect(conn, exclude=skip), skip)


def read_again(conn: sqlite3.Connection, seen: Seen, statements: Sequence[Statement]) -> Seen:
    """The schema of ``conn`` after ``statements`` ran on it since ``seen`` was read.

    ``seen`` itself when the cookie did not move and no statement can have moved the
    schema behind it; else a fresh read. ``conn`` must be the connection ``seen`` was
    read from, its database never replaced (``deserialize``) in between.
    """
    if schema_cookie(conn) == seen.cookie and not edits_by_hand(statements):
        return seen
    return read(conn, exclude=seen.exclude)


def edits_by_hand(statements: Sequence[Statement]) -> bool:
    """Whether a statement is a ``PRAGMA`` that can hide a schema change from the cookie."""
    return any(
        s.keywords[:1] == ("PRAGMA",) and bool(_COOKIE_PRAGMAS & set(s.keywords[1:3]))
        for s in statements
    )
