"""Atlas versioned migrations: detected by ``atlas.sum``, run as ``atlas migrate apply`` runs them.

Read from ariga/atlas (sql/migrate/dir.go, lex.go, migrate.go; cmd/atlas/internal/cmdapi/
migrate.go; sql/sqlite/driver.go): files in name order, a transaction per file unless
``-- atlas:txmode none``, keys off inside it (``sqlite.OpenTx``), a revision per file in
``atlas_schema_revisions``, and no run at all while ``atlas.sum`` disagrees (docs/RUNNERS.md).
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.errors import BadFileError, DuplicateVersionError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.atlas import atlas_plan, sum_hashes, sum_mismatch
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")


def copy_example(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    return root


def check(root: Path) -> CheckRun:
    mset = discover(root)
    return check_set(
        mset, TARGETS[mset.default_target], profile="dev", seed=0, config=EVERY_VERSION
    )


def write_set(folder: Path, files: dict[str, str]) -> Path:
    """Write the files and the ``atlas.sum`` ``atlas migrate hash`` would write for them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    rehash(folder)
    return folder


def rehash(folder: Path) -> None:
    raw = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.sql"))]
    entries = sum_hashes(raw)
    total = hashlib.sha256()
    for name, value in entries:
        total.update(name.encode())
        total.update(value.encode())
    lines = [f"h1:{base64.b64encode(total.digest()).decode()}"]
    lines += [f"{name} h1:{value}" for name, value in entries]
    (folder / "atlas.sum").write_text("\n".join(lines) + "\n")


def test_the_sum_file_makes_the_folder_atlass_in_name_order() -> None:
    mset = discover(EXAMPLES / "atlas_clean")
    assert (mset.layout, mset.default_target) == ("atlas", "atlas")
    assert [m.id for m in mset.migrations] == [
        "20240101000000_users.sql",
        "20240102000000_posts.sql",
        "20240103000000_users_name.sql",
    ]
    assert all(m.down_sql is None for m in mset.migrations)
    assert mset.notes == ()


def test_names_order_the_files_even_where_numbers_would_not(tmp_path: Path) -> None:
    folder = write_set(
        tmp_path / "migrations",
        {"10_b.sql": "CREATE TABLE b(x);\n", "9_a.sql": "CREATE TABLE a(x);\n"},
    )
    mset = discover(folder)
    # "10_b.sql" < "9_a.sql" as strings: Atlas runs 10 first.
    assert [(m.version, m.id) for m in mset.migrations] == [(1, "10_b.sql"), (2, "9_a.sql")]


def test_the_sum_is_cumulative_and_skips_ignored_files() -> None:
    first = sum_hashes([("1_a.sql", b"A"), ("2_b.sql", b"B"), ("3_c.sql", b"C")])
    edited = sum_hashes([("1_a.sql", b"A"), ("2_b.sql", b"B2"), ("3_c.sql", b"C")])
    assert edited[0] == first[0]
    assert edited[1] != first[1]
    assert edited[2] != first[2]  # every later entry moves with an edit
    ignored = sum_hashes([("1_a.sql", b"-- atlas:sum ignore\nA"), ("2_b.sql", b"B")])
    assert [name for name, _ in ignored] == ["2_b.sql"]


def test_a_sum_mismatch_names_the_file_and_the_reason(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "m", {"1_a.sql": "SELECT 1;\n", "2_b.sql": "SELECT 2;\n"})
    text = (folder / "atlas.sum").read_text()
    raw = [("1_a.sql", b"SELECT 1;\n"), ("2_b.sql", b"SELECT 3;\n")]
    found = sum_mismatch(text, raw)
    assert found is not None
    assert (found.file, found.reason) == ("2_b.sql", "edited")
    added = sum_mismatch(text, [*raw[:1], ("1_z.sql", b"x"), ("2_b.sql", b"SELECT 2;\n")])
    assert added is not None
    assert (added.file, added.reason) == ("1_z.sql", "added")
    assert sum_mismatch(text, [("1_a.sql", b"SELECT 1;\n")]) is not None


def test_an_edited_file_is_refused_as_atlas_refuses_the_run(tmp_path: Path) -> None:
    root = copy_example("atlas_clean", tmp_path)
    edited = root / "migrations" / "20240102000000_posts.sql"
    edited.write_text(edited.read_text() + "CREATE INDEX posts_title ON posts (title);\n")
    mset = discover(root)
    assert any("atlas.sum does not match" in n for n in mset.notes)
    result = check(root)
    errors = {(f.kind, f.migration) for f in result.findings if f.severity == "error"}
    assert ("apply_error", "20240102000000_posts") in errors


def test_golang_migrate_goose_and_dbmate_files_beside_a_sum_keep_their_runner(
    tmp_path: Path,
) -> None:
    updown = write_set(
        tmp_path / "updown",
        {"1_a.up.sql": "CREATE TABLE a(x);\n", "1_a.down.sql": "DROP TABLE a;\n"},
    )
    assert discover(updown).layout == "updown"
    goose = write_set(
        tmp_path / "goose",
        {"1_a.sql": "-- +goose Up\nCREATE TABLE a(x);\n-- +goose Down\nDROP TABLE a;\n"},
    )
    assert discover(goose).layout == "goose"
    dbmate = write_set(
        tmp_path / "dbmate",
        {"1_a.sql": "-- migrate:up\nCREATE TABLE a(x);\n-- migrate:down\nDROP TABLE a;\n"},
    )
    assert discover(dbmate).layout == "dbmate"


def test_without_a_sum_the_same_files_stay_wranglers(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "m", {"1_a.sql": "CREATE TABLE a(x);\n"})
    (folder / "atlas.sum").unlink()
    assert discover(folder).layout == "wrangler"


def test_txmode_directives_are_read_from_the_header_only(tmp_path: Path) -> None:
    folder = write_set(
        tmp_path / "m",
        {
            "1_a.sql": "-- atlas:txmode none\n\nCREATE TABLE a(x);\n",
            # Attached to the statement (no blank line): a comment, not a directive.
            "2_b.sql": "-- atlas:txmode none\nCREATE TABLE b(x);\n",
        },
    )
    options = [dict(m.up_options) for m in discover(folder).migrations]
    assert options == [{"transaction": False}, {}]


@pytest.mark.parametrize("mode", ["all", "never", "none\n-- atlas:txmode file"])
def test_txmode_values_atlas_refuses_are_refused(tmp_path: Path, mode: str) -> None:
    folder = write_set(tmp_path / "m", {"1_a.sql": f"-- atlas:txmode {mode}\n\nSELECT 1;\n"})
    with pytest.raises(BadFileError, match="txmode"):
        discover(folder)


def test_two_files_of_one_version_are_refused(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "m", {"1_a.sql": "SELECT 1;\n", "1_b.sql": "SELECT 2;\n"})
    with pytest.raises(DuplicateVersionError, match=r"version 1 also used by 1_a\.sql"):
        discover(folder)


def test_a_clean_database_starts_at_the_last_checkpoint(tmp_path: Path) -> None:
    folder = write_set(
        tmp_path / "m",
        {
            "1_a.sql": "CREATE TABLE a(x);\n",
            "2_checkpoint.sql": "-- atlas:checkpoint\n\nCREATE TABLE a(x);\n",
            "3_b.sql": "CREATE TABLE b(x);\n",
        },
    )
    mset = discover(folder)
    assert [m.id for m in mset.migrations] == ["2_checkpoint.sql", "3_b.sql"]
    assert any("never runs 1_a.sql" in n for n in mset.notes)


def test_a_delimiter_directive_cuts_the_file_there() -> None:
    sql = (
        "-- atlas:delimiter \\n\\n\n"
        "CREATE TABLE t(x)\n\n"
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; END\n"
    )
    statements = atlas_plan(sql)
    assert [s.line for s in statements] == [2, 4]
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement.sql)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    assert names == {"t", "t_ai"}


def test_the_revisions_are_atlass(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "atlas_clean")
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, TARGETS["atlas"])
    rows = conn.execute(
        "SELECT version, description, type, applied, total, hash FROM atlas_schema_revisions "
        "ORDER BY version"
    ).fetchall()
    listed = dict(
        line.split(" h1:")
        for line in (EXAMPLES / "atlas_clean" / "migrations" / "atlas.sum")
        .read_text()
        .split("\n")[1:]
        if line
    )
    assert [r[:5] for r in rows] == [
        ("20240101000000", "users", 2, 2, 2),
        ("20240102000000", "posts", 2, 1, 1),
        ("20240103000000", "users_name", 2, 7, 7),
    ]
    assert [r[5] for r in rows] == [listed[m.id] for m in mset.migrations]


def test_the_clean_set_is_quiet() -> None:
    result = check(EXAMPLES / "atlas_clean")
    assert [f for f in result.findings if f.severity != "note"] == []


def test_txmode_none_honours_the_files_keys_pragma_and_the_rebuild_cascades() -> None:
    result = check(EXAMPLES / "atlas_txmode_none_cascade")
    errors = {(f.kind, f.migration) for f in result.findings if f.severity == "error"}
    assert ("data_loss", "20240103000000_users_name") in errors


def test_the_same_rebuild_inside_atlass_transaction_keeps_the_posts(tmp_path: Path) -> None:
    root = copy_example("atlas_txmode_none_cascade", tmp_path)
    path = root / "migrations" / "20240103000000_users_name.sql"
    path.write_text(path.read_text().removeprefix("-- atlas:txmode none\n\n"))
    rehash(root / "migrations")
    result = check(root)
    assert not [f for f in result.findings if f.kind == "data_loss"]


def test_tx_mode_all_is_one_transaction_without_a_file_opt_out() -> None:
    every = TARGETS["atlas-all"]
    assert (every.wrap, every.opt_out, every.foreign_keys) == ("run", False, False)
