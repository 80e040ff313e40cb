"""refinery (Rust, rusqlite): detected by its Cargo.toml, run as refinery runs files.

Read from refinery's own code (refinery_core at 14354f5): names ``[UV]<n>__<name>.sql``
found recursively, each file one ``execute_batch`` inside its own transaction, its history
row in ``refinery_schema_history`` with a SipHash-1-3 checksum; rusqlite's bundled SQLite
turns foreign keys on (docs/RUNNERS.md).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import BadFileError, DuplicateVersionError, UnknownLayoutError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_foreign_keys
from migration_harness.sets.rowshapes import refinery_checksum
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")


def copy_example(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    return root


def check(root: Path, target: str | None = None) -> CheckRun:
    mset = discover(root)
    chosen = TARGETS[target or mset.default_target]
    return check_set(mset, chosen, profile="dev", seed=0, config=EVERY_VERSION)


def test_a_cargo_toml_naming_refinery_makes_v_files_refinerys() -> None:
    mset = discover(EXAMPLES / "refinery_clean")
    assert (mset.layout, mset.default_target) == ("refinery", "refinery")
    # Found in subfolders too, as refinery's WalkDir finds them.
    assert [(m.version, m.name) for m in mset.migrations] == [
        (1, "V1__customers"),
        (2, "V2__invoices"),
        (3, "V3__customer_name"),
    ]


def test_without_the_manifest_the_same_names_stay_flyways(tmp_path: Path) -> None:
    root = copy_example("refinery_clean", tmp_path)
    (root / "Cargo.toml").write_text('[package]\nname = "x"\n[dependencies]\nrusqlite = "0.31"\n')
    (root / ".git").mkdir()
    assert discover(root).layout == "flyway"
    assert discover(root, layout="refinery").layout == "refinery"
    # Choosing the runner reads the files as it does: U4 is a migration, not Flyway's undo.
    (root / "migrations" / "U4__touch.sql").write_text("CREATE TABLE touched (x);\n")
    mset = discover(root, target="refinery")
    assert (mset.layout, mset.versions) == ("refinery", (1, 2, 3, 4))


def test_forcing_refinery_on_a_folder_without_its_names_is_refused(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    with pytest.raises(UnknownLayoutError, match="--layout refinery does not match"):
        discover(tmp_path, layout="refinery")


def test_a_name_refinery_does_not_accept_is_named_as_never_run(tmp_path: Path) -> None:
    root = copy_example("refinery_clean", tmp_path)
    (root / "migrations" / "V4__add-phone.sql").write_text("ALTER TABLE customers ADD phone;\n")
    mset = discover(root)
    assert [m.version for m in mset.migrations] == [1, 2, 3]
    assert any("refinery never runs V4__add-phone.sql" in n for n in mset.notes)


def test_a_dotted_version_and_a_repeated_one_are_refused(tmp_path: Path) -> None:
    root = copy_example("refinery_clean", tmp_path)
    dotted = root / "migrations" / "V4.1__x.sql"
    dotted.write_text("SELECT 1;\n")
    with pytest.raises(BadFileError, match="InvalidVersion"):
        discover(root)
    dotted.unlink()
    (root / "migrations" / "U3__again.sql").write_text("SELECT 1;\n")
    with pytest.raises(DuplicateVersionError, match="version 3 also used"):
        discover(root)


def test_the_checksum_is_refinerys_siphash() -> None:
    # Computed by Rust's DefaultHasher (SipHasher13, zero keys), as refinery hashes them.
    assert refinery_checksum("initial", 1, "CREATE TABLE persons (id int);\n") == (
        17850160248500988789
    )
    assert refinery_checksum("x", 42, "") == 8137138682419735079


def test_the_history_row_is_refinerys(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "refinery_clean")
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, TARGETS["refinery"])
    rows = conn.execute(
        "SELECT version, name, applied_on, checksum FROM refinery_schema_history ORDER BY version"
    ).fetchall()
    assert [(v, n) for v, n, _, _ in rows] == [
        (1, "customers"),
        (2, "invoices"),
        (3, "customer_name"),
    ]
    first = mset.migrations[0]
    assert rows[0][3] == str(refinery_checksum("customers", 1, first.up_sql))
    assert rows[0][2].endswith("Z")  # RFC 3339, as refinery parses it
    assert "T" in rows[0][2]
    assert runner.migrate(conn, mset, TARGETS["refinery"]) == []


def test_the_clean_set_is_quiet() -> None:
    result = check(EXAMPLES / "refinery_clean")
    assert [f for f in result.findings if f.severity != "note"] == []


def test_a_pragma_refinerys_transaction_ignores_loses_the_children() -> None:
    result = check(EXAMPLES / "refinery_rebuild_cascade")
    found = {(f.kind, f.migration) for f in result.findings if f.severity == "error"}
    assert ("runner_conflict", "V3__customer_name_required") in found
    assert ("data_loss", "V3__customer_name_required") in found


def test_grouped_runs_lose_the_children_too() -> None:
    # Runner::set_grouped(true): one transaction around every pending file.
    assert TARGETS["refinery-grouped"].wrap == "run"
    result = check(EXAMPLES / "refinery_rebuild_cascade", "refinery-grouped")
    assert "data_loss" in {f.kind for f in result.findings}


def test_a_manifest_without_a_bundled_sqlite_turns_keys_off(tmp_path: Path) -> None:
    root = copy_example("refinery_rebuild_cascade", tmp_path)
    manifest = '[dependencies]\nrefinery = { version = "0.8", features = ["rusqlite"] }\n'
    (root / "Cargo.toml").write_text(manifest + 'rusqlite = "0.31"\n')
    mset = discover(root)
    assert mset.project_keys == {"refinery": "off", "refinery-grouped": "off"}
    assert any("system SQLite" in n for n in mset.notes)
    result = CliRunner().invoke(cli, ["check", str(root), "--profile", "dev"])
    assert "foreign keys off" in result.output
    assert "MH141" not in result.output
    forced = CliRunner().invoke(
        cli, ["check", str(root), "--profile", "dev", "--foreign-keys", "on"]
    )
    assert "MH141" in forced.output


def test_refinerys_bundled_feature_keeps_them_on(tmp_path: Path) -> None:
    root = copy_example("refinery_rebuild_cascade", tmp_path)
    manifest = '[dependencies]\nrefinery = { version = "0.8", features = ["rusqlite-bundled"] }\n'
    (root / "Cargo.toml").write_text(manifest + 'rusqlite = "0.31"\n')
    assert discover(root).project_keys == {"refinery": "on", "refinery-grouped": "on"}


def test_with_the_systems_sqlite_keys_are_off_and_the_children_stay() -> None:
    # refinery's plain `rusqlite` feature links the system SQLite: keys off.
    mset = discover(EXAMPLES / "refinery_rebuild_cascade")
    off = with_foreign_keys(TARGETS["refinery"], "off")
    quiet = check_set(mset, off, profile="dev", seed=0, config=EVERY_VERSION)
    assert "data_loss" not in {f.kind for f in quiet.findings}
