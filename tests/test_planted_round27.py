"""Round 27's planted sets: defects lint or check missed, each beside a clean twin.

Each planted example under tests/examples is linted (or checked) under its runner's
target and must be named with the right code on the planted line; its clean twin, the
same set with the defect mended, must stay quiet for that code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.lint import lint_set
from migration_harness.report.findings import Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

EXAMPLES = Path(__file__).parent / "examples"

# (example, target, code, file under the example, line)
PLANTED = [
    # the copy keeps the newest 1000 rows (ORDER BY id DESC LIMIT 1000); the DROP the rest
    (
        "rebuild_copies_limit",
        "sqlx",
        "MH218",
        "migrations/20240102000000_logs_level_check.up.sql",
        3,
    ),
    # the up drops trigger posts_touch; the down never re-creates it
    ("rollback_forgets_trigger", "sqlx", "MH415", "migrations/20240102000000_no_touch.down.sql", 3),
    # the up drops view open_orders; the down (dbmate's migrate:down) never re-creates it
    (
        "rollback_forgets_view",
        "dbmate",
        "MH415",
        "db/migrations/20240102000000_status_code.sql",
        7,
    ),
    # the down re-creates the partial index tasks_open without its WHERE done = 0
    ("rollback_retypes_partial_index", "goose", "MH415", "migrations/00002_tasks_all.sql", 8),
    # the down deletes the seeded default by name, which every user's own row shares
    (
        "down_deletes_seed_by_name",
        "golang-migrate",
        "MH224",
        "migrations/2_default_theme.down.sql",
        2,
    ),
    # two statements in one '--> statement-breakpoint' piece: better-sqlite3 refuses it
    ("drizzle_piece_two_statements", "drizzle", "MH318", "drizzle/0001_slug.sql", 2),
    # Flyway refuses PRAGMA foreign_keys beside other statements (mixed off): only check spoke
    ("flyway_mixed_pragma", "flyway", "MH318", "sql/V2__artist_name_check.sql", 5),
]

# (clean twin, target, the code it must not get)
CLEAN = [
    ("rebuild_copies_no_limit", "sqlx", "MH218"),  # LIMIT -1 is SQLite's "no limit"
    ("rollback_restores_trigger", "sqlx", "MH415"),
    ("rollback_restores_view", "dbmate", "MH415"),
    # the re-typed index is the old one's (MH415), nothing the migration made: no MH411
    ("rollback_retypes_partial_index", "goose", "MH411"),
    ("down_deletes_seed_by_key", "golang-migrate", "MH224"),  # WHERE id = 1000: its key
    ("drizzle_piece_per_statement", "drizzle", "MH318"),
]


def _lint(example: str, target: str) -> list[Finding]:
    root = EXAMPLES / example
    return lint_set(discover(root / "db" if (root / "db").is_dir() else root), get_target(target))


@pytest.mark.parametrize(
    ("example", "target", "code", "file", "line"), PLANTED, ids=[p[0] for p in PLANTED]
)
def test_lint_names_the_planted_defect(
    example: str, target: str, code: str, file: str, line: int
) -> None:
    findings = _lint(example, target)
    named = {(f.code, Path(f.file or "").resolve(), f.line) for f in findings}
    where = (EXAMPLES / example / file).resolve()
    assert (code, where, line) in named, sorted((f.code, f.file, f.line) for f in findings)


@pytest.mark.parametrize(("example", "target", "code"), CLEAN, ids=[c[0] for c in CLEAN])
def test_the_clean_twin_is_quiet(example: str, target: str, code: str) -> None:
    assert [f for f in _lint(example, target) if f.code == code] == []


def _check(example: str, target: str, checks: tuple[str, ...], seed: int | None) -> list[Finding]:
    """``check``'s findings on an example, profile ci, every version deployed alone."""
    run = check_set(
        discover(EXAMPLES / example),
        get_target(target),
        profile="ci",
        seed=seed,
        checks=list(checks),
        config=SetConfig(ship_groups="off"),
    )
    return list(run.findings)


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_a_replace_that_cascades_into_children_is_data_loss(seed: int | None) -> None:
    """REPLACE of authors row 1 deletes its books where the row exists: the generator now
    draws the key a REPLACE writes (keys were minted above the seeds' ids, so never 1)."""
    found = [
        f
        for f in _check("d1_replace_cascades", "d1", ("apply_keeps_data",), seed)
        if f.kind == "data_loss" and f.migration == "0002_anonymous"
    ]
    assert [(f.code, f.severity) for f in found] == [("MH141", "error")]
    assert "of books" in found[0].message


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_an_upsert_of_the_same_row_loses_nothing(seed: int | None) -> None:
    """d1_replace_cascades' clean twin: ON CONFLICT DO UPDATE changes row 1 in place."""
    found = _check("d1_upsert_keeps_children", "d1", ("apply_keeps_data",), seed)
    assert [f for f in found if f.kind == "data_loss"] == []


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_a_move_whose_join_leaves_rows_behind_is_data_loss(seed: int | None) -> None:
    """contacts moved into people by an inner JOIN, then dropped: the contacts without a
    company exist nowhere after the file (the DROP alone is only lint's MH201 warning)."""
    found = [
        f
        for f in _check("move_join_drops_unmatched", "flyway", ("apply_keeps_data",), seed)
        if f.kind == "data_loss" and f.migration == "V2__people"
    ]
    assert [(f.code, f.severity) for f in found] == [("MH141", "error")]
    assert "it moves contacts into people and drops contacts" in found[0].message


@pytest.mark.parametrize("example", ["move_left_join_keeps_all", "move_split_keeps_all"])
def test_a_move_that_takes_every_row_loses_nothing(example: str) -> None:
    """The clean twins: a LEFT JOIN, and a split of the rows into two new tables."""
    found = _check(example, "flyway", ("apply_keeps_data",), None)
    assert [f for f in found if f.kind == "data_loss"] == []
