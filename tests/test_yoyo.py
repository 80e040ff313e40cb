"""yoyo-migrations (Python): detected by its rollback files and directives, run as yoyo runs.

Read from yoyo 9.0 (yoyo/migrations.py, backends/base.py, backends/core/sqlite3.py): every
``.sql`` file is a migration whose id is its name without ``.sql``, ``<id>.rollback.sql`` its
rollback, ``-- depends:`` orders it, ``-- transactional: false`` runs it without yoyo's
``BEGIN``; Python's sqlite3 on the system SQLite leaves foreign keys off (docs/RUNNERS.md).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.errors import BadFileError, OrphanRollbackError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.rowshapes import yoyo_hash
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")


def copy_example(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    return root


def check(root: Path) -> CheckRun:
    mset = discover(root)
    chosen = TARGETS[mset.default_target]
    return check_set(mset, chosen, profile="dev", seed=0, config=EVERY_VERSION)


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_rollback_files_make_the_folder_yoyos() -> None:
    mset = discover(EXAMPLES / "yoyo_clean")
    assert (mset.layout, mset.default_target) == ("yoyo", "yoyo")
    assert [m.id for m in mset.migrations] == ["0001_authors", "0002_book_isbn", "0003_author_bio"]
    assert mset.migrations[0].down_sql is not None
    assert mset.migrations[2].up_options == {"transaction": False}
    assert mset.migrations[1].up_options == {}


def test_a_depends_directive_alone_makes_it_yoyos_and_orders_the_files(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "migrations",
        {
            "a_orders.sql": "-- depends: b_users\nCREATE TABLE orders (user_id);\n",
            "b_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
            "c_tags.sql": "CREATE TABLE tags (name TEXT);\n",
        },
    )
    mset = discover(folder)
    assert mset.layout == "yoyo"
    assert [(m.version, m.id) for m in mset.migrations] == [
        (1, "b_users"),
        (2, "a_orders"),
        (3, "c_tags"),
    ]


def test_plain_numbered_files_stay_wranglers(tmp_path: Path) -> None:
    folder = write(tmp_path / "migrations", {"0001_a.sql": "CREATE TABLE a(x);\n"})
    assert discover(folder).layout == "wrangler"


def test_a_directive_after_the_first_statement_is_sql_not_a_directive(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "migrations",
        {"0001_a.sql": "CREATE TABLE a(x);\n-- transactional: false\n"},
    )
    assert discover(folder).layout == "wrangler"
    assert discover(folder, layout="yoyo").migrations[0].up_options == {}


def test_unknown_dependencies_cycles_and_orphans_are_refused(tmp_path: Path) -> None:
    folder = write(tmp_path / "one", {"0001_a.sql": "-- depends: 0000_gone\nSELECT 1;\n"})
    with pytest.raises(BadFileError, match="0000_gone: no migration has this id"):
        discover(folder)
    cycle = {"a.sql": "-- depends: b\nSELECT 1;\n", "b.sql": "-- depends: a\nSELECT 1;\n"}
    with pytest.raises(BadFileError, match="circular dependencies"):
        discover(write(tmp_path / "two", cycle))
    orphan = {"0001_a.sql": "SELECT 1;\n", "0002_b.rollback.sql": "SELECT 1;\n"}
    with pytest.raises(OrphanRollbackError, match=r"0002_b\.sql"):
        discover(write(tmp_path / "three", orphan))
    bad = {"0001_a.sql": "-- transactional: no\nSELECT 1;\n"}
    with pytest.raises(BadFileError, match="only true or false"):
        discover(write(tmp_path / "four", bad))


def test_post_apply_hooks_are_left_out_with_a_note(tmp_path: Path) -> None:
    root = copy_example("yoyo_clean", tmp_path)
    (root / "migrations" / "post-apply.sql").write_text("ANALYZE;\n")
    mset = discover(root)
    assert "post-apply" not in [m.id for m in mset.migrations]
    assert any("post-apply.sql after every apply" in n for n in mset.notes)


def test_a_python_migration_is_code_in_the_history(tmp_path: Path) -> None:
    root = copy_example("yoyo_clean", tmp_path)
    (root / "migrations" / "0002_5_backfill.py").write_text("steps = []\n")
    mset = discover(root)
    # By name, as yoyo sorts its paths: "0002_5" before "0002_b".
    assert [(m.id, m.program) for m in mset.migrations][1:3] == [
        ("0002_5_backfill", "python"),
        ("0002_book_isbn", None),
    ]


def test_the_tracking_rows_are_yoyos(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "yoyo_clean")
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, TARGETS["yoyo"])
    rows = conn.execute('SELECT migration_hash, migration_id FROM "_yoyo_migration"').fetchall()
    assert sorted(rows) == sorted((yoyo_hash(m.id), m.id) for m in mset.migrations)
    assert conn.execute('SELECT max(version) FROM "_yoyo_version"').fetchone() == (2,)
    logged = conn.execute('SELECT operation, count(*) FROM "_yoyo_log" GROUP BY 1').fetchall()
    assert logged == [("apply", 3)]
    runner.rollback_to(conn, mset, TARGETS["yoyo"], to=2)
    left = {h for (h,) in conn.execute('SELECT migration_hash FROM "_yoyo_migration"')}
    assert yoyo_hash("0003_author_bio") not in left
    assert len(left) == 2
    assert ("rollback", 1) in conn.execute(
        'SELECT operation, count(*) FROM "_yoyo_log" GROUP BY 1'
    ).fetchall()


def test_the_clean_set_is_quiet() -> None:
    result = check(EXAMPLES / "yoyo_clean")
    assert [f for f in result.findings if f.severity != "note"] == []


def test_a_begin_inside_yoyos_transaction_fails() -> None:
    result = check(EXAMPLES / "yoyo_begin_in_transaction")
    errors = {(f.kind, f.migration) for f in result.findings if f.severity == "error"}
    assert ("apply_error", "0003_author_bio") in errors
