"""Versions as the set names them: steps, findings and replay files of a timestamped set.

Reproduction steps said "migrate to version 1" where 1 was a position; with timestamp
versions they were wrong and ``migrate --to 1`` failed (issue 14, item 10).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
USERS, ROLES = "20240101120000_users", "20240102090000_roles"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def timestamped(tmp_path: Path) -> Path:
    """history_seed_rerun (a seed that duplicates on re-run) with timestamp versions."""
    root = tmp_path / "set"
    source = EXAMPLES / "history_seed_rerun"
    for old, new in (("0001", "20240101120000"), ("0002", "20240102090000")):
        for folder in ("migrations", "rollbacks"):
            (root / folder).mkdir(parents=True, exist_ok=True)
            for path in (source / folder).glob(f"{old}_*.sql"):
                shutil.copy(path, root / folder / path.name.replace(old, new, 1))
    return root


def test_steps_of_every_finding_name_real_versions(timestamped: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    result = invoke("check", timestamped, "--checks", "idempotent,stateful", "--json", out)
    assert result.exit_code == 1, result.output
    findings = json.loads(out.read_text())["findings"]
    steps = [step for f in findings for step in f["example"]["steps"]]
    assert f"migrate to {USERS}" in steps
    assert not [s for s in steps if "version" in s]


def test_replay_file_names_real_migrations_and_replays(timestamped: Path) -> None:
    assert invoke("check", timestamped, "--checks", "stateful").exit_code == 1
    (regression,) = (timestamped / "regressions").glob("*.json")
    assert regression.name.startswith(f"not_idempotent-{ROLES}-")
    history = json.loads(regression.read_text())["history"]
    moves = {s["migration"] for s in history if "migration" in s}
    assert moves <= {f"{USERS}.sql", f"{ROLES}.sql"}
    replayed = invoke("replay", regression)
    assert replayed.exit_code == 1, replayed.output
    assert f"not_idempotent in {ROLES}" in replayed.output


@pytest.mark.parametrize(
    "to", [USERS, f"{USERS}.sql", "20240101120000", "1"], ids=["name", "file", "number", "position"]
)
def test_migrate_to_accepts_the_versions_name_number_or_unambiguous_position(
    timestamped: Path, tmp_path: Path, to: str
) -> None:
    result = invoke("migrate", timestamped, "--db", tmp_path / "app.db", "--to", to)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"applied {USERS}.sql"
    assert "1 migration(s) applied" in result.stdout


def test_rollback_to_a_named_version(timestamped: Path, tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    invoke("migrate", timestamped, "--db", db_file)
    result = invoke("rollback", timestamped, "--db", db_file, "--to", USERS)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"rolled back {ROLES}.sql"


def test_unknown_version_name_suggests_the_closest(timestamped: Path, tmp_path: Path) -> None:
    result = invoke("migrate", timestamped, "--db", tmp_path / "app.db", "--to", "20240101_users")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {timestamped / 'migrations'}: no migration has version 20240101_users "
        f"(did you mean {USERS}?)\n"
    )
