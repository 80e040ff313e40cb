"""``production_rollbacks``: rollback-side errors of rollbacks production never runs are warnings.

The planted set ``examples/unused_rollbacks`` has a rollback that always fails (0002: a
typo in ``DROP TABLE``) and a forward data loss (0003: a rebuild whose copy leaves code
out). The rollback's failure is an error by default, a warning when the application never
runs a down file, and an error again for a migration at or after ``production_rollbacks_from``;
the forward loss stays an error whatever the setting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.checks.severity import classify
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.sets.config import ConfigError, SetConfig, read_config
from migration_harness.sets.discovery import MigrationSet, discover
from migration_harness.sets.overrides import with_applied
from migration_harness.sets.rollbackuse import rollback_use
from migration_harness.sets.targets import TARGETS

EXAMPLE = Path(__file__).parent / "examples" / "unused_rollbacks"
UNUSED = SetConfig(production_rollbacks="unused")
NEVER_RUN = 'the application never runs this rollback: production_rollbacks = "unused"'


def run(config: SetConfig, checks: list[str]) -> CheckRun:
    target = with_applied(TARGETS["sqlite"], "tracked")
    return check_set(discover(EXAMPLE), target, checks=checks, config=config)


def codes(run: CheckRun, migration: str) -> set[tuple[str, str]]:
    return {(f.kind, f.code) for f in run.findings if f.migration == migration}


def test_a_broken_rollback_is_an_error_by_default() -> None:
    result = run(SetConfig(), ["rollback"])
    assert codes(result, "0002_orders") == {("rollback_error", "MH131")}
    assert result.exit_code == 1


def test_a_broken_rollback_the_application_never_runs_is_a_warning() -> None:
    result = run(UNUSED, ["rollback"])
    (finding,) = [f for f in result.findings if f.migration == "0002_orders"]
    assert (finding.code, finding.severity) == ("MH136", "warning")
    assert NEVER_RUN in finding.message
    assert finding.file == "rollbacks/0002_rollback.sql"  # still located, still reported
    assert result.exit_code == 0


@pytest.mark.parametrize("bound", ["0002_orders", "2", "0001_customers"])
def test_a_rollback_at_or_after_the_bound_is_used_again(bound: str) -> None:
    config = SetConfig(production_rollbacks_from=bound)
    result = run(config, ["rollback"])
    assert codes(result, "0002_orders") == {("rollback_error", "MH131")}
    assert result.exit_code == 1


def test_a_rollback_before_the_bound_is_unused() -> None:
    result = run(SetConfig(production_rollbacks_from="0003_code_numeric"), ["rollback"])
    assert codes(result, "0002_orders") == {("rollback_error", "MH136")}
    (finding,) = [f for f in result.findings if f.migration == "0002_orders"]
    assert 'production_rollbacks_from = "0003_code_numeric"' in finding.message


def test_used_beats_a_bound_from_the_config() -> None:
    """The command line's ``--production-rollbacks used`` over the config's bound."""
    config = SetConfig(production_rollbacks_from="0003_code_numeric").merged(
        production_rollbacks="used"
    )
    assert codes(run(config, ["rollback"]), "0002_orders") == {("rollback_error", "MH131")}


def test_a_forward_loss_stays_an_error_and_the_rollback_losses_move() -> None:
    result = run(UNUSED, ["apply_keeps_data", "rollback_keeps_data"])
    losses = {(f.direction, f.code) for f in result.findings if f.migration == "0003_code_numeric"}
    assert ("apply", "MH141") in losses
    assert ("rollback", "MH146") in losses
    assert ("rollback", "MH141") not in losses
    assert result.exit_code == 1


def test_default_keeps_the_rollback_loss_an_error() -> None:
    result = run(SetConfig(), ["rollback_keeps_data"])
    assert ("data_loss", "MH141") in codes(result, "0003_code_numeric")


# --- the rules, on findings made by hand --------------------------------------------------


def _set() -> MigrationSet:
    return discover(EXAMPLE)


def _classify(findings: list[Finding], mode: str | None, bound: str | None = None) -> list[str]:
    mset = _set()
    target = with_applied(TARGETS["sqlite"], "tracked")
    found = classify(findings, mset, target, rollbacks=rollback_use(mset, mode, bound))
    return [f.code for f in found]


def test_a_missing_rollback_is_a_note_when_rollbacks_are_unused() -> None:
    missing = Finding("missing_rollback", "0002_orders", "0002_orders has no rollback")
    assert _classify([missing], None) == ["MH121"]
    assert _classify([missing], "unused") == ["MH126"]
    assert _classify([missing], None, "0002_orders") == ["MH121"]


def test_a_conflict_a_rollback_relies_on_is_a_warning_when_it_never_runs() -> None:
    conflict = Finding(
        "runner_conflict", "0003_code_numeric", "PRAGMA ignored", direction="rollback"
    )
    effect = Finding(
        "data_loss",
        "0003_code_numeric",
        "rolling it back loses rows",
        direction="rollback",
        check="rollback_keeps_data",
    )
    assert _classify([conflict, effect], None) == ["MH102", "MH141"]
    assert _classify([conflict, effect], "unused") == ["MH107", "MH146"]


def test_a_forward_conflict_and_apply_errors_never_change() -> None:
    conflict = Finding("runner_conflict", "0003_code_numeric", "PRAGMA", direction="apply")
    effect = Finding(
        "data_loss", "0003_code_numeric", "loses", direction="apply", check="apply_keeps_data"
    )
    failure = Finding("apply_error", "0002_orders", "fails", check="apply")
    keys = Finding("fk_violation", "0002_orders", "orphans", check="apply_keeps_data")
    findings = [conflict, effect, failure, keys]
    assert _classify(findings, "unused") == _classify(findings, None)
    assert _classify(findings, "unused") == ["MH102", "MH141", "MH101", "MH151"]


def _history(*steps: tuple[str, str]) -> dict[str, object]:
    return {"history": [{"op": op, "migration": name} for op, name in steps]}


def test_a_history_through_an_unused_rollback_is_a_warning() -> None:
    through = Finding(
        "fk_violation",
        "0003_code_numeric",
        "orphans",
        example=_history(
            ("apply", "0001_customers.sql"),
            ("apply", "0002_orders.sql"),
            ("rollback", "0002_orders.sql"),
        ),
        check="stateful",
    )
    forward = Finding(
        "fk_violation",
        "0003_code_numeric",
        "orphans",
        example=_history(("apply", "0001_customers.sql"), ("apply", "0002_orders.sql")),
        check="stateful",
    )
    assert _classify([through, forward], "unused") == ["MH155", "MH151"]
    assert _classify([through, forward], None, "0002") == ["MH151", "MH151"]


# --- configuration -------------------------------------------------------------------------


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.migration-harness]\n{text}\n")
    return path


def test_the_keys_are_read_from_the_config(tmp_path: Path) -> None:
    config = read_config(_config(tmp_path, "production_rollbacks_from = 20250917170000"))
    assert config.production_rollbacks is None
    assert config.production_rollbacks_from == "20250917170000"
    unused = read_config(_config(tmp_path, 'production_rollbacks = "unused"'))
    assert unused.production_rollbacks == "unused"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('production_rollbacks = "unsued"', "did you mean 'unused'?"),
        ('production_rollbacks = "never"', "choose one of used, unused"),
        ("production_rollbacks_from = true", "is not a version"),
        (
            'production_rollbacks = "used"\nproduction_rollbacks_from = "2"',
            "a bound means rollbacks before it are unused",
        ),
    ],
)
def test_a_bad_value_is_one_line_naming_the_key(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_config(_config(tmp_path, text))
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_bound_that_names_no_migration_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"production_rollbacks_from = 'nope'.*no migration"):
        rollback_use(_set(), None, "nope")


def test_db_says_its_rollbacks_are_used() -> None:
    """db/'s recovery path is its rollbacks: they must stay errors there."""
    config = read_config(Path(__file__).parents[1] / "db" / "pyproject.toml")
    assert config.production_rollbacks == "used"
    assert config.production_rollbacks_from is None
