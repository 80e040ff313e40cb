"""Rows the set's own files seed, which every database holds: the seed's fate is known.

A file that inserts literal rows (``INSERT INTO plans (id, tier) VALUES (1, 'Free')``)
writes them into every database it reaches, empty test databases included. Two defects
follow from them on every database, and lint can show both without any data of its own:

- the seed row breaks its own table's constraint (a CHECK, NOT NULL): the file fails;
- a later rebuild's copy refuses the seed row (``tier`` rebuilt without ``COLLATE
  NOCASE``, so ``'Free'`` no longer passes ``CHECK (tier IN ('free', 'pro'))``): the
  later file fails.

The replay (:class:`~migration_harness.lint.context.Replay`) runs a seed in a savepoint it
rolls back (its refusal is the statement's error, ``statement-fails``) and keeps the
statement's text per table while nothing else writes the table; a write it does not
follow (UPDATE, DELETE, an upsert) or a DROP forgets the table's seeds. A copy out of a
seeded table is then run on a scratch database holding only the seeded tables and the
file's statements up to the copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.hits import Hit, Rule
from migration_harness.lint.shapes import table_in
from migration_harness.lint.storage import copies


def seed_breaks_copy(context: FileContext) -> Iterator[Hit]:
    """A copy out of a table seeded by an earlier file that the seed rows make fail."""
    seeds = dict(context.seeds)
    if not context.is_up or not seeds:
        return
    for copy in copies(context):
        seeded = [s for s in copy.source_origins if s in seeds]
        if not seeded or copy.emptied:
            continue
        refusal = _copy_refused(context, copy.parsed, seeds, seeded)
        if refusal is not None:
            yield Hit(
                "statement-fails",
                copy.parsed,
                f"the migration fails at this statement on every database: the rows "
                f"earlier files seed into {', '.join(seeded)} break it ({refusal})",
            )


def _copy_refused(
    context: FileContext, copy: Parsed, seeds: Mapping[str, tuple[str, ...]], seeded: list[str]
) -> str | None:
    """SQLite's constraint error running the file up to ``copy`` over the seeds.

    Every statement before it runs too (an UPDATE that mends the seeds first counts); one
    that needs a table the scratch database lacks ends the probe with no finding.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for name in seeded:
            table = table_in(context.before, name)
            if table is None or not table.sql:
                return None
            conn.execute(table.sql)
            for sql in seeds[name]:
                conn.execute(sql)
        for parsed in context.statements:
            conn.execute(parsed.statement.sql)
            if parsed is copy:
                return None
    except sqlite3.IntegrityError as exc:
        return str(exc) if parsed is copy else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return None


RULES: tuple[Rule, ...] = (seed_breaks_copy,)
