"""Whether two checkouts of the harness detect the same things: a speed change's proof.

Runs ``check --json - --profile ci -j 1 --no-cache --no-regressions`` on ``db/`` and on
each set in ``tests/examples/`` with the code of each checkout (``ci`` is derandomized),
drops every ``seconds`` field and compares the JSON (findings, per-migration facts,
examples, rows generated, rejected and inserted) and the exit codes.

    .venv/bin/python bench/detection.py /path/to/before /path/to/after [--sets a,b] [--seed N]

``--seed N`` passes ``--seed N`` to every ``check`` (the planted-defect tests use seeds 1,
2 and 3 besides the profile's own): a change that is exact gives the same JSON under any.

``--findings`` compares what is found instead of the whole JSON: each finding's code, kind,
migration, check, file and line, and the exit code. A change that draws other examples
(fewer choices per row) cannot keep the JSON; it must keep this. Lost and new findings are
printed per set.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARGS = ("--json", "-", "--profile", "ci", "-j", "1", "--no-cache", "--no-regressions")


def _strip(value: Any) -> Any:
    """``value`` without its ``seconds`` fields (the only ones that may differ)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def run(checkout: Path, folder: Path, seed: int | None = None) -> tuple[int, Any]:
    """Exit code and JSON (``seconds`` dropped) of ``check`` on ``folder`` with ``checkout``."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    seeded = () if seed is None else ("--seed", str(seed))
    command = [sys.executable, "-m", "migration_harness", "check", str(folder), *ARGS, *seeded]
    # Run from a fresh empty folder: it holds no migration_harness, so PYTHONPATH decides
    # the code, and no .hypothesis/ of an earlier run. With --no-cache, check keeps
    # Hypothesis's default example database in the working directory, and from "/" every
    # run (both checkouts, every set, other sessions') shared /.hypothesis/examples: a
    # failure one run saved was replayed first by the next, so the "after" run met the
    # "before" run's examples (on a change that draws other examples, three sets differed
    # for that alone).
    with tempfile.TemporaryDirectory(prefix="mh-detection-") as cwd:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=cwd, check=False
        )
    try:
        return done.returncode, _strip(json.loads(done.stdout))
    except json.JSONDecodeError:
        return done.returncode, done.stdout


Found = tuple[str, str, str, str, str, int]


def found(result: tuple[int, Any]) -> tuple[int, frozenset[Found]]:
    """The exit code and what was found: each finding's code, kind, place and check."""
    code, report = result
    if not isinstance(report, dict):
        return code, frozenset()
    return code, frozenset(
        (
            f["code"],
            f["kind"],
            f["migration"] or "",
            f.get("check") or "",
            f.get("file") or "",
            f.get("line") or 0,
        )
        for f in report.get("findings", [])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--sets", default="", help="names in tests/examples (default: all)")
    parser.add_argument("--seed", type=int, default=None, help="seed every check (default: ci's)")
    parser.add_argument(
        "--findings", action="store_true", help="compare the findings only, not the examples"
    )
    args = parser.parse_args()
    names = (
        args.sets.split(",")
        if args.sets
        else sorted(p.name for p in (ROOT / "tests" / "examples").iterdir() if p.is_dir())
    )
    folders = [ROOT / "db", *(ROOT / "tests" / "examples" / n for n in names)]
    same = 0
    for folder in folders:
        before = run(args.before.resolve(), folder, args.seed)
        after = run(args.after.resolve(), folder, args.seed)
        if args.findings:
            (code_before, was), (code_after, now) = found(before), found(after)
            equal = code_before == code_after and was == now
            for lost in sorted(was - now):
                print(f"  lost {lost}")
            for new in sorted(now - was):
                print(f"  new  {new}")
        else:
            equal = before == after
        same += equal
        print(f"{'same' if equal else 'DIFFERENT'} {folder.relative_to(ROOT)}", flush=True)
    print(f"{same} of {len(folders)} the same")
    sys.exit(0 if same == len(folders) else 1)


if __name__ == "__main__":
    main()
