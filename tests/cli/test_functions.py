"""Application-defined SQL functions and the SQLite version gap."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.sets.functions import NEWER_FUNCTIONS, missing_function_hint

UP_USERS = (
    "CREATE TABLE IF NOT EXISTS users(\n"
    "    id TEXT PRIMARY KEY DEFAULT (uuid_v4()),\n"
    "    name TEXT NOT NULL,\n"
    "    slug TEXT CHECK (slug IS NULL OR slug = slugify(slug))\n"
    ");\n"
)
UP_SEED = "INSERT OR IGNORE INTO users(id, name, slug) VALUES ('root', 'Root', slugify('Root'));\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def make_set(root: Path) -> Path:
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    (root / "migrations" / "0001_users.sql").write_text(UP_USERS)
    (root / "migrations" / "0002_seed.sql").write_text(UP_SEED)
    (root / "rollbacks" / "0001_rollback.sql").write_text("DROP TABLE IF EXISTS users;\n")
    (root / "rollbacks" / "0002_rollback.sql").write_text("DELETE FROM users WHERE id = 'root';\n")
    return root


def configure(root: Path, entries: str) -> str:
    """A module of application functions beside a pyproject.toml mapping them."""
    module = f"appfuncs_{uuid.uuid4().hex[:8]}"
    (root / f"{module}.py").write_text(
        "import uuid\n"
        "def uuid_v4():\n    return str(uuid.uuid4())\n"
        "def slugify(text):\n    return None if text is None else str(text).lower()\n"
    )
    (root / "pyproject.toml").write_text(
        "[tool.migration-harness.functions]\n" + entries.replace("MODULE", module)
    )
    return module


def test_missing_function_is_one_line_naming_function_file_and_config(tmp_path: Path) -> None:
    root = make_set(tmp_path / "app")
    result = invoke("check", root, "--no-regressions")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    # SQLite resolves the functions of a CHECK when the table is created.
    assert line.startswith(f"error: {root / 'migrations' / '0001_users.sql'}:1: no such function: ")
    assert "[tool.migration-harness.functions]" in line


def test_configured_functions_run_in_every_check(tmp_path: Path) -> None:
    root = make_set(tmp_path / "app")
    configure(
        root,
        'uuid_v4 = "MODULE:uuid_v4"\n'
        'slugify = { call = "MODULE:slugify", nargs = 1, deterministic = true }\n',
    )
    report = tmp_path / "report.json"
    result = invoke("check", root, "--no-regressions", "--json", report)
    assert result.exit_code == 0, result.output
    # Rows were generated and inserted although every row needs slugify() in its CHECK.
    assert json.loads(report.read_text())["stats"]["rows_inserted"] > 0


def test_migrate_registers_the_functions_on_the_users_database(tmp_path: Path) -> None:
    root = make_set(tmp_path / "app")
    configure(
        root, 'uuid_v4 = "MODULE:uuid_v4"\nslugify = { call = "MODULE:slugify", nargs = 1 }\n'
    )
    db = tmp_path / "app.db"
    result = invoke("migrate", root, "--db", db)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT id, slug FROM users").fetchall() == [("root", "root")]
    conn.close()


def test_migrate_without_the_function_exits_2_and_records_nothing(tmp_path: Path) -> None:
    root = make_set(tmp_path / "app")
    db = tmp_path / "app.db"
    result = invoke("migrate", root, "--db", db)
    assert result.exit_code == 2
    assert "() is not an SQLite function" in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'users'").fetchall() == []
    conn.close()


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('uuid_v4 = "no_such_module_xyz:f"', "cannot import no_such_module_xyz:f"),
        ('uuid_v4 = "MODULE:nothing"', "cannot import"),
        ('uuid_v4 = "missing-colon"', 'expected "module:callable"'),
        ('uuid_v4 = { call = "MODULE:uuid_v4", nargs = "one" }', "nargs must be an integer"),
    ],
)
def test_bad_function_config_is_one_line_naming_the_entry(
    tmp_path: Path, entry: str, problem: str
) -> None:
    root = make_set(tmp_path / "app")
    configure(root, entry + "\n")
    result = invoke("check", root, "--no-regressions")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert str(root / "pyproject.toml") in line
    assert "uuid_v4" in line
    assert problem in line


def test_newer_builtin_names_the_sqlite_version_it_needs() -> None:
    hint = missing_function_hint("no such function: unhex")
    assert hint is not None
    if sqlite3.sqlite_version_info < (3, 41, 0):
        assert hint.startswith(
            f"unhex() needs SQLite 3.41.0; this Python runs SQLite {sqlite3.sqlite_version}"
        )
    else:
        assert "not an SQLite function" in hint
    assert missing_function_hint("no such table: unhex") is None
    assert NEWER_FUNCTIONS["concat"] == "3.44.0"


@pytest.mark.skipif(sqlite3.sqlite_version_info >= (3, 41, 0), reason="this SQLite has unhex()")
def test_check_of_a_file_using_a_newer_builtin_exits_2_with_the_version(tmp_path: Path) -> None:
    root = tmp_path / "app"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_t.sql").write_text(
        "CREATE TABLE IF NOT EXISTS t(b BLOB);\nINSERT INTO t VALUES (unhex('00ff'));\n"
    )
    result = invoke("check", root, "--no-regressions")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert str(root / "migrations" / "0001_t.sql") in line
    assert "needs SQLite 3.41.0" in line


def test_a_function_called_only_by_a_default_is_a_one_line_error_too(tmp_path: Path) -> None:
    """SQLite accepts ``DEFAULT (uuid_v4())`` at CREATE and fails only when a row omits
    the column (M4RC3L05/noted): every such generated row was refused, unexplained."""
    root = tmp_path / "app"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_notes.sql").write_text(
        "CREATE TABLE IF NOT EXISTS notes(id TEXT PRIMARY KEY DEFAULT (uuid_v4()), body TEXT);\n"
    )
    result = invoke("check", root, "--no-regressions")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"error: {root / 'migrations' / '0001_notes.sql'}: a column DEFAULT calls uuid_v4() "
    )
    assert "[tool.migration-harness.functions]" in line
    # Mapped, the same set checks clean.
    configure(root, 'uuid_v4 = "MODULE:uuid_v4"\n')
    assert invoke("check", root, "--no-regressions").exit_code == 0


def test_a_default_cast_is_no_function_call(tmp_path: Path) -> None:
    """``CAST(…)`` in a DEFAULT is a keyword, not a call: SQLite compiles the DEFAULT and
    names what is missing (a regex over ``DEFAULT (name(`` refused it as 'CAST()'); a
    function nested inside another call is still found."""
    clean = tmp_path / "clean"
    (clean / "migrations").mkdir(parents=True)
    (clean / "migrations" / "0001_tags.sql").write_text(
        "CREATE TABLE IF NOT EXISTS tags(id INTEGER PRIMARY KEY, label TEXT NOT NULL,\n"
        "  created_ms INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000));\n"
        "INSERT OR IGNORE INTO tags(id, label) VALUES (1, 'urgent');\n"
    )
    result = invoke("check", clean, "--no-regressions")
    assert result.exit_code == 0, result.output
    nested = tmp_path / "nested"
    (nested / "migrations").mkdir(parents=True)
    (nested / "migrations" / "0001_notes.sql").write_text(
        "CREATE TABLE IF NOT EXISTS notes(id TEXT PRIMARY KEY DEFAULT (lower(uuid_v4())), "
        "body TEXT);\n"
    )
    result = invoke("check", nested, "--no-regressions")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "a column DEFAULT calls uuid_v4() " in line
