"""The stateful machine: clean on db/, finds history defects for nearly every seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import settings

from harness.checks import Engine
from harness.discovery import discover
from harness.findings import Finding
from harness.machine import Step, replay, run_machine
from harness.profiles import profile_settings
from harness.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
DB = Path(__file__).resolve().parent.parent / "db"
SEEDS = range(10)
# (set, target, expected kind, expected migration)
DEFECTS = [
    ("history_seed_rerun", "sqlite", "not_idempotent", "0002_roles"),
    ("history_on_delete", "sqlite", "rollback_schema_drift", "0002_posts_title"),
    ("history_rebuild_cascade", "sqlite", "data_loss", "0003_users_nick"),
]


def _engine(path: Path, target: str, seed: int | None) -> Engine:
    base = profile_settings("ci")
    if seed is not None:
        base = settings(base, derandomize=False)
    return Engine(discover(path), TARGETS[target], settings=base, seed=seed)


@pytest.mark.parametrize("target", ["sqlite", "d1"])
def test_umbrella_histories_are_clean(target: str) -> None:
    assert run_machine(_engine(DB, target, None)) == []


@pytest.mark.parametrize(("name", "target", "kind", "migration"), DEFECTS)
def test_machine_finds_history_defect_for_nine_of_ten_seeds(
    name: str, target: str, kind: str, migration: str
) -> None:
    found: list[list[Finding]] = []
    for seed in SEEDS:
        findings = run_machine(_engine(EXAMPLES / name, target, seed))
        if any(f.kind == kind and f.migration == migration for f in findings):
            found.append(findings)
    assert len(found) >= 9
    for findings in found:
        assert len(findings[0].example["history"]) <= 6


@pytest.mark.parametrize(("name", "target", "kind", "migration"), DEFECTS)
def test_shrunk_history_replays_to_the_same_finding(
    name: str, target: str, kind: str, migration: str
) -> None:
    engine = _engine(EXAMPLES / name, target, None)
    findings = run_machine(engine)
    assert findings, "the machine found nothing under the derandomized ci profile"
    steps = [Step.from_json(s) for s in findings[0].example["history"]]
    replayed = replay(engine, steps)
    assert [(f.kind, f.migration) for f in replayed] == [(kind, migration)]


def test_data_loss_history_names_the_lost_rows() -> None:
    findings = run_machine(_engine(EXAMPLES / "history_rebuild_cascade", "sqlite", None))
    loss = next(f for f in findings if f.kind == "data_loss")
    assert loss.direction == "rollback"
    assert any(d.startswith("notes: row id=") and d.endswith("is lost") for d in loss.details)


def test_step_round_trips_through_json() -> None:
    step = Step("update", table="users", where={"id": 3}, values={"email": "a@b.c"})
    assert Step.from_json(step.to_json()) == step
    assert step.describe() == "update users where id=3 set email='a@b.c'"


REGRESSIONS = sorted(EXAMPLES.glob("*/regressions/*.json"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_every_committed_regression_still_reproduces_its_finding(path: Path) -> None:
    data = json.loads(path.read_text())
    engine = _engine(path.parent.parent, data["target"], None)
    findings = replay(engine, [Step.from_json(s) for s in data["history"]])
    expected = data["finding"]
    assert [(f.kind, f.migration) for f in findings] == [(expected["kind"], expected["migration"])]
