"""``application_foreign_keys``: a broken key no connection of the application enforces.

The migration connection's keys (``--foreign-keys``, the target's default) and the
application's own serving connections' (``application_foreign_keys``) are two settings.
Where both are off, an ``fk_violation`` after a step fails nothing, then or later: it is
MH157 (warning). Where the application serves with keys on (Plume migrates with keys off
and serves with them on), the same rows fail its next write: MH151 stays an error.

The planted set: 0002 purges archived artists with a plain ``DELETE`` and leaves their
tracks behind (keys off on the migration connection: no cascade fires).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.checks.run import check_set
from migration_harness.checks.severity import classify
from migration_harness.cli import cli
from migration_harness.errors import HarnessError
from migration_harness.report.findings import Finding
from migration_harness.sets.config import ConfigError, SetConfig, read_config
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_application_foreign_keys, with_foreign_keys
from migration_harness.sets.targets import TARGETS, Target

PARENTS = """\
CREATE TABLE artists (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')));
CREATE TABLE tracks (id INTEGER PRIMARY KEY,
    artist_id INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE, title TEXT NOT NULL);
CREATE INDEX idx_tracks_artist ON tracks(artist_id);
"""
PURGE = "DELETE FROM artists WHERE status = 'archived';\n"
UNENFORCED = "no connection of this application enforces foreign keys"


def _set(tmp_path: Path, config: str = "") -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_artists.sql").write_text(PARENTS)
    (root / "migrations" / "0002_purge.sql").write_text(PURGE)
    if config:
        (root / "pyproject.toml").write_text(f"[tool.migration-harness]\n{config}\n")
    return root


def _keys_off(application: str | None = None) -> Target:
    target = with_foreign_keys(TARGETS["goose"], "off")
    return with_application_foreign_keys(target, application)


def _fk_codes(root: Path, target: Target) -> set[str]:
    run = check_set(discover(root), target, checks=["apply_keeps_data"], config=SetConfig())
    return {f.code for f in run.findings if f.kind == "fk_violation"}


def test_keys_off_everywhere_makes_the_broken_key_a_warning(tmp_path: Path) -> None:
    assert _fk_codes(_set(tmp_path), _keys_off()) == {"MH157"}


def test_an_application_that_serves_with_keys_on_keeps_it_an_error(tmp_path: Path) -> None:
    assert _fk_codes(_set(tmp_path), _keys_off("on")) == {"MH151"}


def test_a_migration_connection_with_keys_on_keeps_it_an_error(tmp_path: Path) -> None:
    """Keys on while the file runs: the DELETE cascades, or the orphans stay an error."""
    target = with_application_foreign_keys(with_foreign_keys(TARGETS["goose"], "on"), "off")
    assert target.keys_enforced
    assert "MH157" not in _fk_codes(_set(tmp_path), target)


@pytest.mark.parametrize("code", ["MH151", "MH155"])
def test_every_fk_violation_code_becomes_mh157_and_keeps_its_reason(
    tmp_path: Path, code: str
) -> None:
    mset = discover(_set(tmp_path))
    finding = Finding("fk_violation", "0002_purge", "orphans", check="apply_keeps_data", code=code)
    (decided,) = classify([finding], mset, _keys_off())
    assert (decided.code, decided.severity) == ("MH157", "warning")
    assert UNENFORCED in decided.message
    (kept,) = classify([finding], mset, _keys_off("on"))
    assert kept.code == code


def test_other_kinds_never_change(tmp_path: Path) -> None:
    mset = discover(_set(tmp_path))
    loss = Finding("data_loss", "0002_purge", "rows lost", check="apply_keeps_data")
    (decided,) = classify([loss], mset, _keys_off())
    assert decided.code == "MH141"


def test_d1_refuses_off() -> None:
    with pytest.raises(HarnessError, match="enforces foreign keys on every connection"):
        with_application_foreign_keys(TARGETS["d1"], "off")
    assert with_application_foreign_keys(TARGETS["d1"], "on").keys_enforced


def test_the_config_key_is_read_and_checked(tmp_path: Path) -> None:
    root = _set(tmp_path, 'application_foreign_keys = "on"')
    assert read_config(root / "pyproject.toml").application_foreign_keys == "on"
    bad = _set(tmp_path / "bad", 'application_foreign_keys = "of"')
    with pytest.raises(ConfigError, match="did you mean 'off'"):
        read_config(bad / "pyproject.toml")


def _check(root: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        [
            "check", str(root), "--target", "goose", "--foreign-keys", "off", "--profile",
            "ci", "-j", "1", "--no-regressions", "--checks", "apply_keeps_data", *extra,
        ],
    )  # fmt: skip


def _goose(tmp_path: Path, config: str = "") -> Path:
    root = tmp_path / "gset"
    (root / "migrations").mkdir(parents=True)
    for name, up in (("00001_artists.sql", PARENTS), ("00002_purge.sql", PURGE)):
        (root / "migrations" / name).write_text(f"-- +goose Up\n{up}")
    if config:
        (root / "pyproject.toml").write_text(f"[tool.migration-harness]\n{config}\n")
    return root


def test_cli_keys_off_everywhere_is_a_warning(tmp_path: Path) -> None:
    result = _check(_goose(tmp_path))
    assert "MH157 warning: fk_violation" in result.output, result.output
    assert "MH151" not in result.output


def test_cli_option_and_config_key_keep_it_an_error(tmp_path: Path) -> None:
    result = _check(_goose(tmp_path), "--application-foreign-keys", "on")
    assert "MH151 error: fk_violation" in result.output, result.output
    assert result.exit_code == 1
    keyed = _check(_goose(tmp_path / "k", 'application_foreign_keys = "on"'))
    assert "MH151 error: fk_violation" in keyed.output, keyed.output
    beaten = _check(
        _goose(tmp_path / "b", 'application_foreign_keys = "on"'),
        "--application-foreign-keys",
        "off",
    )
    assert "MH157 warning: fk_violation" in beaten.output, beaten.output


def test_cli_off_under_d1_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = _set(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["check", str(root), "--target", "d1", "--application-foreign-keys", "off",
         "--profile", "dev", "--no-regressions"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "application_foreign_keys = off" in result.output
    assert not (root / ".migration-harness").exists()  # nothing written


@pytest.mark.parametrize("command", ["check", "lint"])
def test_cli_migration_keys_off_under_d1_is_one_line_and_exit_2(
    tmp_path: Path, command: str
) -> None:
    """D1 ignores ``PRAGMA foreign_keys = OFF``: checked with keys off, its cascades vanish."""
    root = _set(tmp_path)
    args = [command, str(root), "--target", "d1", "--foreign-keys", "off"]
    if command == "check":
        args += ["--profile", "dev"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "--foreign-keys off: d1 enforces foreign keys" in result.output
    assert not (root / ".migration-harness").exists()
    assert not (root / "regressions").exists()
    assert with_foreign_keys(TARGETS["d1"], "on").keys_enforced
    assert not with_foreign_keys(TARGETS["goose"], "off").keys_enforced


def test_the_regression_file_keeps_the_setting_and_replay_still_fails(tmp_path: Path) -> None:
    """Without it, replay would judge MH157 (below the fail level) and exit 0."""
    import json

    root = _goose(tmp_path)
    args = ["check", str(root), "--target", "goose", "--foreign-keys", "off", "--profile", "ci"]
    args += ["-j", "1", "--checks", "apply_keeps_data", "--application-foreign-keys", "on"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    (written,) = (root / "regressions").glob("fk_violation-*.json")
    assert json.loads(written.read_text())["application_foreign_keys"] is True
    replayed = CliRunner().invoke(cli, ["replay", str(written)])
    assert replayed.exit_code == 1, replayed.output
