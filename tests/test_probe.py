"""migration_harness.data.probe: a candidate row is tried on a scratch table and undone."""

from __future__ import annotations

from migration_harness.data.probe import accepted
from migration_harness.schema.model import Table, schema_from_sql

SQL = """
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE CHECK (name <> 'bad'));
CREATE TRIGGER tags_guard BEFORE INSERT ON tags WHEN NEW.name = 'stop'
BEGIN SELECT RAISE(ROLLBACK, 'stop is reserved'); END;
"""


def _tags() -> tuple[Table, tuple[str, ...]]:
    schema = schema_from_sql(SQL)
    table = schema.tables["tags"]
    triggers = tuple(t.source for t in schema.triggers)
    return table, triggers


def test_an_accepted_row_is_undone_so_the_same_key_is_accepted_again() -> None:
    table, triggers = _tags()
    assert accepted(table, {"id": 1, "name": "a"}, triggers)
    assert accepted(table, {"id": 1, "name": "a"}, triggers)


def test_a_check_refuses_a_row_and_the_next_row_is_still_probed() -> None:
    table, triggers = _tags()
    assert not accepted(table, {"id": 2, "name": "bad"}, triggers)
    assert accepted(table, {"id": 2, "name": "good"}, triggers)


def test_a_trigger_rolling_back_the_transaction_leaves_the_probe_usable() -> None:
    table, triggers = _tags()
    assert not accepted(table, {"id": 3, "name": "stop"}, triggers)
    assert accepted(table, {"id": 3, "name": "go"}, triggers)
    assert accepted(table, {"id": 3, "name": "go"}, triggers)
