"""Locating the set a command without PATH works on (``migration_harness.sets.locate``)."""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.errors import DiscoveryError
from migration_harness.sets.locate import NoSetError, example_root, inside_package, locate

EXAMPLES = Path(__file__).parent / "examples"
USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
WRANGLER = """name = "shop"

[[d1_databases]]
binding = "DB"
database_name = "shop"
database_id = "11111111-1111-1111-1111-111111111111"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def wrangler_project(root: Path, migrations_dir: str | None = None) -> Path:
    """A wrangler D1 project with one migration in ``migrations_dir`` (wrangler's default)."""
    key = f'migrations_dir = "{migrations_dir}"\n' if migrations_dir else ""
    write(root / "wrangler.toml", WRANGLER + key)
    write(root / (migrations_dir or "migrations") / "0001_users.sql", USERS)
    return root


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_pyproject_table_migrations_key_is_relative_to_the_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.migration-harness]\nmigrations = "sql/d1"\n')
    write(tmp_path / "sql" / "d1" / "0001_users.sql", USERS)
    write(tmp_path / "migrations" / "0001_other.sql", USERS)  # rule 3 would pick this
    (tmp_path / "src").mkdir()
    monkeypatch.chdir(tmp_path / "src")
    found = locate()
    assert found.root.resolve() == (tmp_path / "sql" / "d1").resolve()
    assert not found.is_example


def test_pyproject_table_beats_the_wrangler_config(tmp_path: Path) -> None:
    wrangler_project(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.migration-harness]\nmigrations = "other"\n')
    write(tmp_path / "other" / "0001_users.sql", USERS)
    assert locate(tmp_path).root == tmp_path / "other"


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "migration-harness-user"\n')
    wrangler_project(tmp_path, "db/d1")
    assert locate(tmp_path).root == tmp_path / "db"


def test_pyproject_missing_migrations_folder_names_the_key(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.migration-harness]\nmigrations = "nowhere"\n')
    with pytest.raises(DiscoveryError, match=r"migrations = 'nowhere'.*relative to the pyproject"):
        locate(tmp_path)


def test_wrangler_migrations_dir_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrangler_project(tmp_path, "schema/migrations")
    (tmp_path / "src" / "routes").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "src" / "routes")
    assert locate().root.resolve() == (tmp_path / "schema").resolve()


def test_wrangler_jsonc_binding_without_migrations_dir_uses_migrations(tmp_path: Path) -> None:
    write(
        tmp_path / "wrangler.jsonc",
        '{\n  // D1\n  "d1_databases": [{"binding": "DB", "database_name": "x"},],\n}\n',
    )
    write(tmp_path / "migrations" / "0001_users.sql", USERS)
    assert locate(tmp_path).root == tmp_path


def test_deep_wrangler_migrations_dir_is_passed_explicitly(tmp_path: Path) -> None:
    wrangler_project(tmp_path, "a/b/c/migrations")
    found = locate(tmp_path)
    assert (found.root, found.migrations) == (tmp_path, tmp_path / "a/b/c/migrations")


def test_known_folder_in_the_working_folder(tmp_path: Path) -> None:
    write(tmp_path / "db" / "migrations" / "0001_users.sql", USERS)
    assert locate(tmp_path).root == tmp_path / "db"


def test_nothing_found_names_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(NoSetError) as caught:
        locate(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    for where in ("pyproject.toml", "wrangler.toml", "db/migrations", str(tmp_path)):
        assert where in message


def test_missing_wrangler_migrations_dir_is_named(tmp_path: Path) -> None:
    write(tmp_path / "wrangler.toml", WRANGLER)
    with pytest.raises(NoSetError, match=r"wrangler.toml: migrations_dir .*migrations does not"):
        locate(tmp_path)


def test_example_only_when_asked(tmp_path: Path) -> None:
    found = locate(tmp_path, example=True)
    assert found.is_example
    assert found.root == example_root()
    assert (found.root / "migrations").is_dir()


def test_inside_package_is_the_package_folder_only(tmp_path: Path) -> None:
    import migration_harness

    assert inside_package(Path(migration_harness.__file__).parent / "_embedded" / "db")
    assert not inside_package(tmp_path)


# --- the commands -----------------------------------------------------------------------


def test_bare_check_in_a_wrangler_project_checks_its_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrangler_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "--profile", "dev", "--checks", "apply", "--json", "-")
    assert "embedded" not in result.stderr
    data = json.loads(result.stdout)
    assert (data["layout"], [m["name"] for m in data["migrations"]]) == ("wrangler", ["0001_users"])


@pytest.mark.parametrize("command", ["audit", "lint"])
def test_read_only_command_with_no_set_says_it_uses_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(command)
    assert "using the embedded Umbrella example" in result.stderr
    assert result.exit_code in (0, 1)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ("migrate", "--db", "shop.db"),
        ("rollback", "--db", "shop.db", "--steps", "1"),
        ("status", "--db", "shop.db"),
        ("report",),
        ("baseline",),
    ],
)
def test_writing_commands_without_a_set_exit_2_and_touch_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    database = tmp_path / "shop.db"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE mine (id INTEGER PRIMARY KEY)")
    conn.close()
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)
    result = invoke(*command)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no migration set found")
    assert len(result.stderr.splitlines()) == 1
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]


def test_report_on_a_set_inside_the_package_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import migration_harness

    inside = Path(migration_harness.__file__).parent / "report"
    monkeypatch.chdir(tmp_path)
    result = invoke("report", "--migrations", example_root() / "migrations", "--docs", inside)
    assert result.exit_code == 2
    assert "inside the installed package" in result.stderr
    assert not (inside / "MIGRATION_ROLLBACK.md").exists()


def test_check_writes_no_regression_inside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_module = importlib.import_module("migration_harness.cli.check")
    root = Path(shutil.copytree(EXAMPLES / "apply_missing_table", tmp_path / "set"))
    monkeypatch.setattr(check_module, "inside_package", lambda path: path.is_relative_to(root))
    result = invoke("check", root, "--checks", "apply", "--target", "sqlite")
    assert result.exit_code == 1, result.output
    assert f"note: regressions not written: {root / 'regressions'} is inside" in result.stderr
    assert not (root / "regressions").exists()


def test_check_of_a_clean_example_says_nothing_of_regressions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_module = importlib.import_module("migration_harness.cli.check")
    monkeypatch.setattr(check_module, "inside_package", lambda path: True)
    wrangler_project(tmp_path)
    result = invoke("check", tmp_path, "--checks", "apply", "--profile", "dev")
    assert result.exit_code == 0, result.output
    assert "regressions" not in result.output
