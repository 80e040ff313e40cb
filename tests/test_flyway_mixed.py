"""Flyway's ``mixed`` (komga sets ``spring.flyway.mixed: true``).

flyway-core ``ParserSqlScript``: with ``mixed`` off a script holding ``PRAGMA foreign_keys``
(non-transactional on SQLite) beside other statements is refused; with it on,
``executeInTransaction()`` is false for the whole script, so every statement runs in
autocommit and the PRAGMA takes effect.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import HarnessError
from migration_harness.report.findings import CheckRun
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_flyway_mixed
from migration_harness.sets.targets import TARGETS

EXAMPLE = Path(__file__).parent / "examples" / "flyway_mixed_pragma"
TOML = (EXAMPLE / "flyway.toml").read_text()


def mixed_set(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE, root)
    return root


def run(root: Path, *settings: str | bool | None, keys: bool = True) -> CheckRun:
    mset = discover(root)
    target = with_flyway_mixed(TARGETS["flyway"], *settings, mset.flyway_mixed)
    target = dataclasses.replace(target, foreign_keys=keys)
    return check_set(mset, target, profile="dev", seed=0, checks=("apply", "apply_keeps_data"))


def test_without_mixed_flyway_refuses_the_script(tmp_path: Path) -> None:
    root = mixed_set(tmp_path)
    assert discover(root).flyway_mixed is None
    assert {f.kind for f in run(root).findings} == {"apply_error"}


def test_mixed_in_flyway_toml_runs_it_outside_a_transaction(tmp_path: Path) -> None:
    root = mixed_set(tmp_path)
    (root / "flyway.toml").write_text(
        TOML.replace('environment = "default"', 'mixed = true\nenvironment = "default"')
    )
    assert discover(root).flyway_mixed is True
    # Keys on: the PRAGMA takes effect outside a transaction, so DROP TABLE does not cascade.
    assert run(root).findings == []


def test_mixed_in_flyway_conf(tmp_path: Path) -> None:
    root = mixed_set(tmp_path)
    (root / "flyway.conf").write_text("flyway.mixed=true\n")
    assert discover(root).flyway_mixed is True


def test_spring_application_yml_sets_it(tmp_path: Path) -> None:
    # komga: migrations under src/flyway/resources, application.yml under src/main/resources.
    project = tmp_path / "komga"
    (project / ".git").mkdir(parents=True)
    sql = project / "src" / "flyway" / "resources" / "db" / "migration" / "sqlite"
    shutil.copytree(EXAMPLE / "sql", sql)
    resources = project / "src" / "main" / "resources"
    resources.mkdir(parents=True)
    (resources / "application.yml").write_text(
        "spring:\n  flyway:\n    enabled: true\n    mixed: true  # PRAGMA in migrations\n"
        "    placeholders:\n      name_max: 500\n"
    )
    mset = discover(sql, placeholders={"name_max": "500"})
    assert mset.flyway_mixed is True
    result = CliRunner().invoke(
        cli,
        ["check", str(sql), "--placeholder", "name_max=500", "--checks", "apply",
         "--foreign-keys", "on", "--profile", "dev"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_spring_properties_false_keeps_the_refusal(tmp_path: Path) -> None:
    root = mixed_set(tmp_path)
    (root / "application.properties").write_text("spring.flyway.mixed=false\n")
    assert discover(root / "sql").flyway_mixed is False


def test_the_option_and_the_config_key_win_over_the_files(tmp_path: Path) -> None:
    root = mixed_set(tmp_path)
    (root / "flyway.conf").write_text("flyway.mixed=true\n")
    assert {f.kind for f in run(root, "off").findings} == {"apply_error"}
    (root / "flyway.conf").unlink()
    assert run(root, "on").findings == []
    out = tmp_path / "check.json"
    result = CliRunner().invoke(
        cli, ["check", str(root), "--flyway-mixed", "on", "--checks", "apply",
              "--profile", "dev", "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["findings"] == []


def test_mixed_is_refused_for_another_runner() -> None:
    with pytest.raises(HarnessError, match="not Flyway"):
        with_flyway_mixed(TARGETS["goose"], "on")
    assert with_flyway_mixed(TARGETS["goose"], None, True) == TARGETS["goose"]
