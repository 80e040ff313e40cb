"""Round 27's planted sets: defects lint or check missed, each beside a clean twin.

Each planted example under tests/examples is linted (or checked) under its runner's
target and must be named with the right code on the planted line; its clean twin, the
same set with the defect mended, must stay quiet for that code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.report.findings import Finding
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
]

# (clean twin, target, the code it must not get)
CLEAN = [
    ("rebuild_copies_no_limit", "sqlx", "MH218"),  # LIMIT -1 is SQLite's "no limit"
    ("rollback_restores_trigger", "sqlx", "MH415"),
    ("rollback_restores_view", "dbmate", "MH415"),
    # the re-typed index is the old one's (MH415), nothing the migration made: no MH411
    ("rollback_retypes_partial_index", "goose", "MH411"),
    ("down_deletes_seed_by_key", "golang-migrate", "MH224"),  # WHERE id = 1000: its key
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
