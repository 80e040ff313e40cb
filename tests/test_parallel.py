"""``check -j N``: forked workers report exactly what one process reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migration_harness.checks.parallel import STATEFUL, Outcome, can_fork, merge_info, run_units
from migration_harness.cli import cli
from migration_harness.report.findings import MigrationInfo

EXAMPLES = Path(__file__).parent / "examples"
needs_fork = pytest.mark.skipif(not can_fork(), reason="workers need the fork start method")


def _json_of(root: Path, jobs: int, out: Path) -> dict[str, Any]:
    args = ["check", str(root), "--no-cache", "--no-regressions", "-j", str(jobs)]
    result = CliRunner().invoke(cli, [*args, "--json", str(out)])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(out.read_text())
    data["stats"].pop("seconds")  # the one figure that is not a result
    return data


@needs_fork
@pytest.mark.parametrize("name", ["history_on_delete", "rollback_leaves_column"])
def test_two_jobs_report_what_one_job_reports(name: str, tmp_path: Path) -> None:
    root = Path(shutil.copytree(EXAMPLES / name, tmp_path / name))
    one = _json_of(root, 1, tmp_path / "one.json")
    two = _json_of(root, 2, tmp_path / "two.json")
    assert one["findings"]  # a planted defect: the comparison covers real findings
    assert two == one


def test_merged_reversibility_never_goes_down() -> None:
    """A worker that saw only 'lossy' does not undo another unit's 'irreversible'."""
    info = MigrationInfo(1, "0001_x", reversibility="irreversible")
    merge_info(info, {"reversibility": "lossy", "expected_loss": {"rows": 2, "cells": 0}})
    assert info.reversibility == "irreversible"
    assert info.expected_loss == {"rows": 2, "cells": 0}


def test_merged_losses_keep_the_largest() -> None:
    info = MigrationInfo(1, "0001_x", apply_loss={"rows": 5, "cells": 1})
    merge_info(info, {"apply_loss": {"rows": 3, "cells": 4}})
    assert info.apply_loss == {"rows": 5, "cells": 4}


@needs_fork
def test_forked_outcomes_come_back_in_unit_order(tmp_path: Path) -> None:
    """The fuzzer runs first on a worker, but its outcome stays where the caller put it."""
    from migration_harness.checks.engine import Engine
    from migration_harness.sets.discovery import discover
    from migration_harness.sets.targets import TARGETS

    engine = Engine(discover(EXAMPLES / "rollback_leaves_column"), TARGETS["sqlite"])
    units = [(1, "apply"), STATEFUL, (2, "apply")]
    finished: list[tuple[int, str]] = []

    def run(_: Engine, unit: tuple[int, str]) -> tuple[list[Any], bool]:
        return [], unit == (2, "apply")

    outcomes = run_units(engine, units, run, jobs=2, on_done=finished.append)
    assert [o.failed for o in outcomes] == [False, False, True]
    assert sorted(finished) == sorted(units)
    assert all(isinstance(o, Outcome) for o in outcomes)


@needs_fork
def test_workers_die_on_sigterm_and_leave_without_it(tmp_path: Path) -> None:
    """The CLI's SIGTERM handler (SystemExit, for a local D1) is not the workers' own.

    A worker that kept it could swallow ``Pool.terminate``'s one SIGTERM in whatever it was
    running and then wait for good on the task queue's lock (a suite hung that way); the
    workers now get SIGTERM's default, and on success they leave without being signalled.
    """
    import signal

    from migration_harness.checks.engine import Engine
    from migration_harness.sets.discovery import discover
    from migration_harness.sets.targets import TARGETS

    engine = Engine(discover(EXAMPLES / "rollback_leaves_column"), TARGETS["sqlite"])
    seen = tmp_path / "handlers"
    seen.mkdir()

    def run(_: Engine, unit: tuple[int, str]) -> tuple[list[Any], bool]:
        handler = signal.getsignal(signal.SIGTERM)
        (seen / unit[1]).write_text("default" if handler == signal.SIG_DFL else repr(handler))
        return [], False

    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as the CLI sets one
    try:
        run_units(engine, [(1, "apply"), (2, "rollback")], run, jobs=2)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert {p.name: p.read_text() for p in seen.iterdir()} == {
        "apply": "default",
        "rollback": "default",
    }


def test_a_history_failure_pickles_with_its_findings() -> None:
    """A worker's exception travels back pickled; the message alone cannot rebuild it."""
    import pickle

    from migration_harness.checks.machine import StatefulFailure
    from migration_harness.report.findings import Finding

    finding = Finding("data_loss", "0001_x", "a row is lost")
    back = pickle.loads(pickle.dumps(StatefulFailure([finding])))
    assert isinstance(back, StatefulFailure)
    assert back.findings == [finding]


class _Unpicklable(Exception):
    """An exception whose pickle cannot be read back (its constructor wants no message)."""

    def __init__(self) -> None:
        super().__init__("no way back")


@needs_fork
def test_a_unit_that_raises_in_a_worker_is_an_internal_error_not_a_hang() -> None:
    """The pool's result thread died unpickling such an error, and the parent waited for good.

    Run in a thread with a time limit so that a regression fails instead of hanging.
    """
    import threading

    from migration_harness.checks.engine import Engine
    from migration_harness.checks.parallel import WorkerCrashedError
    from migration_harness.sets.discovery import discover
    from migration_harness.sets.targets import TARGETS

    engine = Engine(discover(EXAMPLES / "rollback_leaves_column"), TARGETS["sqlite"])

    def run(_: Engine, unit: tuple[int, str]) -> tuple[list[Any], bool]:
        if unit == (2, "apply"):
            raise _Unpicklable()
        return [], False

    raised: list[BaseException] = []

    def go() -> None:
        try:
            run_units(engine, [(1, "apply"), (2, "apply")], run, jobs=2)
        except BaseException as exc:
            raised.append(exc)

    worker = threading.Thread(target=go, daemon=True)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "run_units hung on an error it could not unpickle"
    assert len(raised) == 1
    assert isinstance(raised[0], WorkerCrashedError)
    assert "_Unpicklable" in str(raised[0])
    assert "(2, 'apply')" in str(raised[0])


def test_a_flaky_history_failure_is_handled_as_the_failure_it_holds() -> None:
    """Hypothesis wraps a failure it could not reproduce in a FlakyFailure group."""
    from hypothesis.errors import FlakyFailure

    from migration_harness.checks.machine import StatefulFailure, _first_failure
    from migration_harness.report.findings import Finding

    failure = StatefulFailure([Finding("data_loss", "0001_x", "a row is lost")])
    assert _first_failure(FlakyFailure("not again", [failure])) is failure
    other = FlakyFailure("mixed", [failure, ValueError("the harness's own")])
    with pytest.raises(FlakyFailure):
        _first_failure(other)
