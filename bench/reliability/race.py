"""Two (or more) real processes racing ``migrate`` on one database file.

Each process imports the harness, waits at a barrier with the others, then runs the CLI's
``migrate`` in-process, so the runs start within microseconds of each other. A trial is
correct when every process exits 0 and the self-managed files' seed rows went in once each.

    .venv/bin/python -m bench.reliability.race --trials 100
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import tempfile
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from bench.reliability.sets import TARGETS, seeded, self_managed_set


def _worker(barrier: Barrier, results: Queue[int], folder: str, db: str, target: str) -> None:
    """One runner: wait for the others, then ``migrate``; puts its exit status."""
    from migration_harness.cli import cli

    barrier.wait()
    code = 0
    try:
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            args = ["migrate", folder, "--db", db, "--target", target]
            cli.main(args, standalone_mode=False)
    except SystemExit as exc:
        code = int(exc.code or 0)
    except Exception:  # a trial counts every way a runner can fail
        code = 99
    results.put(code)


def trial(root: Path, target: str, runners: int = 2) -> tuple[list[int], int]:
    """Race ``runners`` processes on a fresh database: (exit statuses, seed rows)."""
    folder = self_managed_set(root, target)
    db = root / f"race-{target}.db"
    db.unlink(missing_ok=True)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(runners)
    results: Queue[int] = context.Queue()
    processes = [
        context.Process(target=_worker, args=(barrier, results, str(folder), str(db), target))
        for _ in range(runners)
    ]
    for process in processes:
        process.start()
    codes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    return codes, seeded(db)


def main() -> None:
    """Run many trials per target and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--runners", type=int, default=2)
    args = parser.parse_args()
    for target in TARGETS:
        correct = 0
        for _ in range(args.trials):
            with tempfile.TemporaryDirectory() as tmp:
                codes, seeds = trial(Path(tmp), target, args.runners)
            correct += codes == [0] * args.runners and seeds == 2
        print(f"race {target}: {correct}/{args.trials} trials correct ({args.runners} runners)")


if __name__ == "__main__":
    main()
