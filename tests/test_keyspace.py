"""Text ids of unrelated tables never collide; tables a foreign key or the SQL links may.

Applications mint text ids per table, so a copy of one table's ids into another's primary
key cannot fail on UNIQUE in production unless the two are related. Each test has its
twin: the unrelated tables stay quiet, the linked ones still find the collision.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from migration_harness.checks.run import check_set
from migration_harness.data.strategies import Dataset, datasets_for
from migration_harness.report.findings import CheckRun
from migration_harness.schema.keylinks import key_links
from migration_harness.schema.model import schema_from_sql
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]
THREADS = "CREATE TABLE threads (id TEXT PRIMARY KEY NOT NULL{link}, title TEXT NOT NULL);"
CHANNELS = "CREATE TABLE channels (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL);"
MERGE = "INSERT INTO channels (id, name) SELECT id, title FROM threads;"
FK = " REFERENCES channels(id)"  # a thread's id is its channel's id
CHANNEL_FK = ", channel_id TEXT REFERENCES channels(id)"


def merge_run(migration_set: MigrationSetFactory, link: str) -> CheckRun:
    first = CHANNELS + "\n" + THREADS.format(link=link)
    root = migration_set({1: (first, None), 2: (MERGE, None)}, layout="wrangler")
    return check_set(discover(root), TARGETS["d1"], checks=["apply_keeps_data"])


def test_copying_ids_of_an_unrelated_table_into_a_key_never_collides(
    migration_set: MigrationSetFactory,
) -> None:
    # The copy fails only if a thread's id equals a channel's: minted apart, they never do.
    assert merge_run(migration_set, "").findings == []


def test_a_foreign_key_from_another_column_does_not_link_the_keys(
    migration_set: MigrationSetFactory,
) -> None:
    # threads.channel_id says which channel a thread is in, nothing of the threads' own ids.
    first = (
        CHANNELS
        + "\n"
        + THREADS.format(link="").replace("title TEXT NOT NULL", "title TEXT NOT NULL" + CHANNEL_FK)
    )
    root = migration_set({1: (first, None), 2: (MERGE, None)}, layout="wrangler")
    assert check_set(discover(root), TARGETS["d1"], checks=["apply_keeps_data"]).findings == []


def test_tables_a_foreign_key_joins_still_share_ids(migration_set: MigrationSetFactory) -> None:
    run = merge_run(migration_set, FK)
    assert {f.kind for f in run.findings} == {"apply_error"}
    assert any("UNIQUE constraint failed: channels.id" in f.message for f in run.findings)


ASSETS = (
    "CREATE TABLE assets (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL);\n"
    "CREATE TABLE bookmark_assets (id TEXT PRIMARY KEY NOT NULL, asset_id TEXT NOT NULL);"
)
MOVE = "INSERT INTO assets (id, kind) SELECT asset_id, 'bookmark' FROM bookmark_assets;"


def test_a_plain_column_a_copy_puts_into_a_key_holds_ids_minted_apart(
    migration_set: MigrationSetFactory,
) -> None:
    # karakeep 0030: bookmark assets' ids move into assets; neither held the other's ids.
    root = migration_set({1: (ASSETS, None), 2: (MOVE, None)}, layout="wrangler")
    assert check_set(discover(root), TARGETS["d1"], checks=["apply_keeps_data"]).findings == []


def test_a_plain_column_copied_into_a_linked_key_still_collides(
    migration_set: MigrationSetFactory,
) -> None:
    linked = ASSETS.replace("asset_id TEXT NOT NULL", "asset_id TEXT NOT NULL REFERENCES assets")
    root = migration_set({1: (linked, None), 2: (MOVE, None)}, layout="wrangler")
    run = check_set(discover(root), TARGETS["d1"], checks=["apply_keeps_data"])
    assert any("UNIQUE constraint failed: assets.id" in f.message for f in run.findings)


def test_a_copy_links_from_its_migration_on_a_comparison_always(
    migration_set: MigrationSetFactory,
) -> None:
    first = CHANNELS + "\n" + THREADS.format(link="")
    pair = frozenset({("threads", "id"), ("channels", "id")})
    copied = key_links(discover(migration_set({1: (first, None), 2: (MERGE, None)})))
    # Before the copy runs, thread and channel ids were minted apart; after it they meet.
    assert pair not in copied.at(1)
    assert pair in copied.at(2)
    compare = "DELETE FROM threads WHERE id IN (SELECT channels.id FROM channels);"
    root = migration_set({1: (first, None), 2: (compare, None)}, name="compared")
    assert pair in key_links(discover(root)).at(0)


SCHEMA = schema_from_sql(
    "CREATE TABLE a (id TEXT PRIMARY KEY NOT NULL);\n"
    "CREATE TABLE b (id TEXT PRIMARY KEY NOT NULL);\n"
    "CREATE TABLE c (id INTEGER PRIMARY KEY);\n"
    "CREATE TABLE d (id INTEGER PRIMARY KEY);\n"
)


def _keys(dataset: Dataset, table: str) -> set[object]:
    return {r.as_dict()["id"] for r in dataset.rows if r.table == table}


@settings(max_examples=60, database=None)
@given(st.data())
def test_text_keys_of_unrelated_tables_are_disjoint(data: st.DataObject) -> None:
    dataset = data.draw(datasets_for(SCHEMA, max_rows=3))
    assert not _keys(dataset, "a") & _keys(dataset, "b")


def test_linked_text_keys_and_integer_keys_may_collide() -> None:
    link = frozenset({("a", "id"), ("b", "id")})
    found: dict[str, bool] = {"text": False, "integer": False}

    @settings(max_examples=200, database=None)
    @given(datasets_for(SCHEMA, max_rows=3, links=[link]))
    def search(dataset: Dataset) -> None:
        found["text"] |= bool(_keys(dataset, "a") & _keys(dataset, "b"))
        found["integer"] |= bool(_keys(dataset, "c") & _keys(dataset, "d"))

    search()
    assert found == {"text": True, "integer": True}
