"""CPU and peak memory of ``check`` on generated histories of growing length.

Each length runs in a fresh child process (``os.wait4`` reports the child's own CPU time
and peak RSS, so the figures are the whole process's, imports included). The history is
``bench/histories.py``'s clean variant: step i adds table t<i> with a nullable foreign key
to t<i-1>, an index on it and a guarded seed.

    .venv/bin/python bench/chains.py --sizes 12,50,100,200 --profile ci
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from histories import write_history

CHILD = """
import sys
from pathlib import Path
from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS
run = check_set(discover(Path(sys.argv[1])), TARGETS[sys.argv[3]], profile=sys.argv[2])
print(len(run.findings), run.stats.examples, run.stats.rows_inserted)
"""


def measure(root: Path, profile: str, target: str = "sqlite") -> tuple[float, float, str]:
    """(CPU seconds, peak RSS MiB, the child's summary line) of one ``check_set`` run."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), profile, target],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    out = child.stdout.read().strip()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        message = f"{root}: check_set exited {child.returncode}"
        raise SystemExit(message)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12,50,100,200")
    parser.add_argument("--profile", default="ci")
    # golang-migrate: the runner's own tracking table (one row, not plain keys), keys off.
    parser.add_argument("--target", default="sqlite", help="a target of TARGETS (runner)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"profile {args.profile}, target {args.target}; CPU s of the whole child (user+sys)")
    print("| migrations | CPU s | CPU ms / migration | peak RSS MiB | findings examples rows |")
    print("|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="mh-chains-") as tmp:
        for n in sizes:
            root = write_history(Path(tmp) / f"h{n}" / "migrations", n, planted=False).parent
            cpu, rss, out = measure(root, args.profile, args.target)
            print(f"| {n} | {cpu:.1f} | {1000 * cpu / n:.0f} | {rss:.0f} | {out} |", flush=True)


if __name__ == "__main__":
    main()
