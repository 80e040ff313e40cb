"""Kill trials: ``migrate`` SIGKILLed at a random moment, then run again.

A trial starts ``python -m migration_harness migrate`` on a fresh database, kills it a
random delay (0 to ``--window`` seconds) after the database file appears, so kills land
before, inside and after each file, then runs ``migrate`` again to completion. It is
consistent when the second run exits 0, the tracking table says the head version, and
every seed row went in exactly once (no file ran twice, none was skipped). Sets:
``self-managed`` (files with their own ``BEGIN`` … ``COMMIT``, sqlite and goose) and
``wrapped`` (the same SQL without them, which the runner wraps with its tracking row).

    .venv/bin/python -m bench.reliability.kills --trials 100
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.reliability.sets import TARGETS, seeded, self_managed_set


def _wrapped(root: Path) -> Path:
    """The self-managed sqlite set with its BEGIN/COMMIT lines removed: the runner wraps it."""
    folder = self_managed_set(root, "sqlite")
    for path in (folder / "migrations").glob("*.sql"):
        lines = [
            line
            for line in path.read_text().splitlines()
            if line.strip() not in ("BEGIN;", "COMMIT;")
        ]
        path.write_text("\n".join(lines) + "\n")
    return folder


def _version(db: Path, target: str) -> str:
    """The head the tracking table records."""
    conn = sqlite3.connect(db)
    try:
        if target == "goose":
            row = conn.execute("SELECT max(version_id) FROM goose_db_version").fetchone()
        else:
            row = conn.execute("SELECT max(name) FROM d1_migrations").fetchone()
        return str(row[0])
    finally:
        conn.close()


def trial(root: Path, kind: str, target: str, delay: float) -> tuple[bool, str]:
    """One kill and recovery: (consistent, what was seen)."""
    folder = _wrapped(root) if kind == "wrapped" else self_managed_set(root, target)
    db = root / "app.db"
    command = [sys.executable, "-m", "migration_harness", "migrate", str(folder), "--db", str(db)]
    command += ["--target", target]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Count the delay from when the database file appears: the child is past its imports
    # (a second or more on a loaded machine) and into the files.
    deadline = time.monotonic() + 60
    while not db.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    head = "3" if target == "goose" else "0003_rebuild.sql"
    seen = f"exit {again.returncode}, head {_version(db, target)}, seeds {seeded(db)}"
    ok = again.returncode == 0 and _version(db, target) == head and seeded(db) == 2
    return ok, seen + ("" if ok else f": {again.stderr.strip()[:200]}") + _landed(again.stdout)


def _landed(stdout: str) -> str:
    """Where the kill landed, from what the second run had to do."""
    if "recovered" in stdout:
        return " [recovered an interrupted file]"
    if "applied 0" not in stdout:  # no "applied 000N_…" line: nothing was left to do
        return " [after the first run finished]"
    return " [before or between files: the second run applied the rest]"


def main() -> None:
    """Run the trials and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--window", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    plans = [("self-managed", t) for t in TARGETS] + [("wrapped", "sqlite")]
    for kind, target in plans:
        consistent = 0
        failures = []
        landed: Counter[str] = Counter()
        for _ in range(args.trials):
            with tempfile.TemporaryDirectory() as tmp:
                ok, seen = trial(Path(tmp), kind, target, rng.uniform(0, args.window))
            consistent += ok
            landed[seen.rsplit("[", 1)[-1].rstrip("]")] += 1
            if not ok:
                failures.append(seen)
        print(f"kills {kind} {target}: {consistent}/{args.trials} consistent; {dict(landed)}")
        for seen in failures[:5]:
            print(f"  {seen}")


if __name__ == "__main__":
    main()
