"""``dropcascade.drop_reach`` is worked out once per file, schema and tables asked about.

Every example of a rollback property asked again, and each asking parsed the whole file.
"""

from __future__ import annotations

import pytest

from migration_harness.checks import dropcascade
from migration_harness.schema.model import schema_from_sql
from migration_harness.sets.sql import split_statements

SCHEMA = """
CREATE TABLE artists (id INTEGER PRIMARY KEY);
CREATE TABLE tracks (id INTEGER PRIMARY KEY, plays INTEGER,
    artist_id INTEGER REFERENCES artists(id) ON DELETE CASCADE);
CREATE TABLE likes (id INTEGER PRIMARY KEY,
    artist_id INTEGER REFERENCES artists(id) ON DELETE SET NULL);
"""
DOWN = split_statements("UPDATE tracks SET plays = 0 WHERE plays < 0;\nDROP TABLE artists;")


@pytest.fixture(autouse=True)
def _fresh() -> None:
    dropcascade._REACHED.clear()


def test_the_same_question_is_answered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    stock = dropcascade._drop_reach

    def counted(*args: object) -> dict[str, dropcascade.DropReach]:
        calls.append(args)
        return stock(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(dropcascade, "_drop_reach", counted)
    before = schema_from_sql(SCHEMA)
    answers = [dropcascade.drop_reach(DOWN, before, {"tracks", "likes"}) for _ in range(4)]
    assert len(calls) == 1
    assert all(answer is answers[0] for answer in answers)
    assert sorted(answers[0]) == ["likes", "tracks"]
    assert answers[0]["tracks"].removes
    assert answers[0]["likes"].nulls == frozenset({"artist_id"})


def test_another_schema_file_or_table_list_is_worked_out_anew() -> None:
    before = schema_from_sql(SCHEMA)
    assert sorted(dropcascade.drop_reach(DOWN, before, {"tracks", "likes"})) == ["likes", "tracks"]
    assert list(dropcascade.drop_reach(DOWN, before, {"tracks"})) == ["tracks"]
    assert dropcascade.drop_reach(DOWN, before, {"tracks"}, {"artists"}) == {}
    assert dropcascade.drop_reach(DOWN[:1], before, {"tracks", "likes"}) == {}
    assert len(dropcascade._REACHED) == 4
    # a schema without the cascade, even one whose record took the first one's id
    other = schema_from_sql(SCHEMA.replace("ON DELETE CASCADE", ""))
    key = next(iter(dropcascade._REACHED))
    dropcascade._REACHED[(key[0], id(other), key[2], key[3])] = dropcascade._REACHED[key]
    assert list(dropcascade.drop_reach(DOWN, other, {"tracks", "likes"})) == ["likes"]
