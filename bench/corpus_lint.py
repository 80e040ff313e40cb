"""`lint` on every history of the corpus, under the options `corpus.py run` gives `check`.

    .venv/bin/python bench/corpus_lint.py --dest /work/corpus-git \\
        --cli /abs/.venv/bin/migration-harness --out lint.json

Prints, per history, errors / warnings / notes and how many findings were suppressed (an
error in a rollback the application never runs, by the manifest's `production_rollbacks`),
then the totals; `--out` keeps every finding for reading and comparing runs. Rebuild the
corpus first (`corpus.py rebuild --git --dest DIR`).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_DEST, MANIFEST, History, load_manifest, runner_options


def lint_one(history: History, cli: list[str], dest: Path) -> list[dict[str, Any]] | str:
    """The history's lint findings (JSON), or why there are none."""
    folder = history.folder(dest)
    if not folder.exists():
        return f"{folder}: missing (run corpus.py rebuild first)"
    command = [*cli, "lint", str(folder), *runner_options(history), "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        return (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    data = json.loads(done.stdout)
    return list(data["findings"] if isinstance(data, dict) else data)


def _counts(findings: list[dict[str, Any]]) -> Counter[str]:
    """Findings by severity; suppressed ones apart."""
    return Counter("suppressed" if f.get("suppressed") else f["severity"] for f in findings)


def main(argv: list[str] | None = None) -> int:
    """Lint every history and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help="corpus.toml to read")
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="corpus folder")
    parser.add_argument("--cli", default="migration-harness", help="the command to run")
    parser.add_argument("--out", type=Path, help="write every finding here (JSON)")
    args = parser.parse_args(argv)
    cli = shlex.split(args.cli)
    total: Counter[str] = Counter()
    kept: dict[str, Any] = {}
    print("| history | errors / warnings / notes | suppressed |\n|---|---|---:|")
    for history in load_manifest(args.manifest):
        found = lint_one(history, cli, args.dest)
        if isinstance(found, str):
            print(f"| {history.repo} | not linted: {found} | |")
            continue
        counts = _counts(found)
        total.update(counts)
        kept[history.repo] = found
        print(
            f"| {history.repo} | {counts['error']} / {counts['warning']} / {counts['note']} "
            f"| {counts['suppressed']} |"
        )
    print(
        f"| **total** | **{total['error']} / {total['warning']} / {total['note']}** "
        f"| {total['suppressed']} |"
    )
    if args.out is not None:
        args.out.write_text(json.dumps(kept, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
