"""MH206 (update-without-where) and a counter the schema's triggers maintain.

Recomputing a trigger-kept counter from its source (``UPDATE venues SET gig_count =
(SELECT count(*) FROM gigs WHERE …)``) overwrites only a count that drifted: quiet. The
same statement on a column no trigger writes, or a reset of the counter to a constant,
still overwrites values the application wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

VENUES = (
    "CREATE TABLE venues (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " gig_count INTEGER NOT NULL DEFAULT 0, rating INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE gigs (id INTEGER PRIMARY KEY,"
    " venue_id INTEGER NOT NULL REFERENCES venues(id) ON DELETE CASCADE);\n"
    "CREATE INDEX gigs_venue ON gigs(venue_id);\n"
)
COUNTER = (
    "CREATE TRIGGER gigs_count_ins AFTER INSERT ON gigs BEGIN\n"
    "    UPDATE venues SET gig_count = gig_count + 1 WHERE id = NEW.venue_id;\n"
    "END;\n"
)
RECOUNT = "UPDATE venues SET {column} = {value};\n"
COUNT = "(SELECT count(*) FROM gigs WHERE gigs.venue_id = venues.id)"


def _overwrites(tmp_path: Path, history: str, up: str) -> list[int | None]:
    """The lines of ``up`` MH206 names, on sqlite."""
    return lines_of(second_file(tmp_path, history, up, "sqlite"), "MH206")


@pytest.mark.parametrize(
    ("history", "up"),
    [
        (VENUES + COUNTER, RECOUNT.format(column="gig_count", value=COUNT)),
        # the trigger arrives with the recount
        (VENUES, COUNTER + RECOUNT.format(column="gig_count", value=COUNT)),
    ],
)
def test_a_recount_of_a_trigger_kept_counter_is_quiet(
    tmp_path: Path, history: str, up: str
) -> None:
    assert _overwrites(tmp_path, history, up) == []


@pytest.mark.parametrize(
    "up",
    [
        RECOUNT.format(column="rating", value=COUNT),  # no trigger keeps rating
        RECOUNT.format(column="gig_count", value="0"),  # a reset loses the counts
        RECOUNT.format(column="gig_count", value="(SELECT 7)"),  # no aggregate
    ],
)
def test_an_overwrite_of_values_the_triggers_do_not_define_still_fires(
    tmp_path: Path, up: str
) -> None:
    assert _overwrites(tmp_path, VENUES + COUNTER, up) == [1]
