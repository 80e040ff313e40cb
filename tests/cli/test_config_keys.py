"""Unknown keys of ``[tool.migration-harness]`` are one-line errors, as ruff makes them.

A misspelt key used to be ignored: ``aplied = "untracked"`` left the set tracked, and the
findings the user thought configured were judged by the default. Every reader takes the
table through ``harness_table``, which refuses a key :mod:`migration_harness.sets.configkeys`
does not list, naming the file, the key and the closest known key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.plugin.options import KEYS
from migration_harness.sets.config import CHOICES, harness_table
from migration_harness.sets.configkeys import KNOWN_KEYS

REPO = Path(__file__).resolve().parents[2]
FILE = "CREATE TABLE IF NOT EXISTS a (id INTEGER PRIMARY KEY, name TEXT);\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def project(root: Path, config: str) -> Path:
    """A one-file plain sqlite set with ``config`` as its pyproject.toml."""
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_a.sql").write_text(FILE)
    (root / "pyproject.toml").write_text(config)
    return root


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.migration-harness]\naplied = "untracked"\n',
            "[tool.migration-harness] aplied: unknown key (did you mean 'applied'?)",
        ),
        (
            "[tool.migration-harness.columns]\njsn = []\n",
            "[tool.migration-harness.columns] jsn: unknown key (did you mean 'json'?)",
        ),
        (
            '[tool.migration-harness.functions]\nf = { call = "m:f", narg = 1 }\n',
            "[tool.migration-harness.functions.f] narg: unknown key (did you mean 'nargs'?)",
        ),
        (
            '[tool.migration-harness.per-file-ignores]\n"*.sql" = { code = ["MH111"] }\n',
            '[tool.migration-harness.per-file-ignores."*.sql"] code: unknown key '
            "(did you mean 'codes'?)",
        ),
        (
            '[tool.migration-harness]\nignore = { codes = ["MH111"], reasons = "x" }\n',
            "[tool.migration-harness.ignore] reasons: unknown key (did you mean 'reason'?)",
        ),
        (
            "[tool.migration-harness]\nzzz = 1\n",
            "[tool.migration-harness] zzz: unknown key (known keys: migrations, rollbacks,",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "lint", "audit"])
def test_an_unknown_key_is_a_one_line_error(
    tmp_path: Path, command: str, config: str, message: str
) -> None:
    root = project(tmp_path / "app", config)
    result = invoke(command, root)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert f"{root / 'pyproject.toml'} {message}" in result.stderr


@pytest.mark.parametrize("command", ["migrate", "status"])
def test_database_commands_refuse_an_unknown_key_before_touching_the_database(
    tmp_path: Path, command: str
) -> None:
    root = project(tmp_path / "app", '[tool.migration-harness]\nrollback_polcy = "optional"\n')
    db = tmp_path / "app.db"
    result = invoke(command, root, "--db", db)
    assert result.exit_code == 2, result.output
    assert "rollback_polcy: unknown key (did you mean 'rollback_policy'?)" in result.stderr
    assert not db.exists()


def test_a_set_located_from_the_working_folder_refuses_an_unknown_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path / "app", '[tool.migration-harness]\nmigration = "migrations"\n')
    monkeypatch.chdir(root)
    result = invoke("lint")
    assert result.exit_code == 2, result.output
    assert "migration: unknown key (did you mean 'migrations'?)" in result.stderr


def test_the_known_spelling_runs_and_user_named_entries_are_not_keys(tmp_path: Path) -> None:
    """The clean twin: the same settings spelt right, and sub-tables of the user's names."""
    config = (
        '[tool.migration-harness]\napplied = "untracked"\nrollback_policy = "optional"\n'
        'ignore = { codes = ["MH122"], reason = "forward only" }\n'
        "[tool.migration-harness.columns]\njson = []\nfilled = []\n"
        '[tool.migration-harness.per-file-ignores]\n"0001_*.sql" = ["MH122"]\n'
        '[tool.migration-harness.pre_migration_hooks]\n"0001_a" = "premigrate.go"\n'
    )
    root = project(tmp_path / "app", config)
    result = invoke("lint", root)
    assert result.exit_code == 0, result.output


def test_every_key_a_reader_takes_is_known() -> None:
    """The plugin's settings and the set-level choices are all in the one list."""
    assert set(KEYS) <= set(KNOWN_KEYS)
    assert set(CHOICES) <= set(KNOWN_KEYS)


@pytest.mark.parametrize(
    "pyproject",
    sorted(
        [REPO / "db" / "pyproject.toml", *(REPO / "tests" / "examples").rglob("pyproject.toml")]
    ),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_every_shipped_config_has_only_known_keys(pyproject: Path) -> None:
    harness_table(tomllib.loads(pyproject.read_text(encoding="utf-8")), pyproject)


def test_keys_only_the_plugin_reads_are_named_by_the_commands(tmp_path: Path) -> None:
    """``target = "goose"`` configures the plugin; ``lint`` says it runs without it."""
    root = project(tmp_path / "app", '[tool.migration-harness]\ntarget = "goose"\nprofile = "ci"\n')
    result = invoke("lint", root)
    assert result.exit_code == 0, result.output
    assert (
        f"note: {root / 'pyproject.toml'} [tool.migration-harness] target, profile: read by "
        "the pytest plugin only; the command takes --target, --profile"
    ) in result.stderr


def test_keys_the_commands_read_get_no_note(tmp_path: Path) -> None:
    root = project(tmp_path / "app", '[tool.migration-harness]\napplied = "tracked"\n')
    result = invoke("lint", root)
    assert result.exit_code == 0, result.output
    assert "pytest plugin only" not in result.stderr
