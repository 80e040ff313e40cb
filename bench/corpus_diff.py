"""What changed between two corpus runs: counts per history and every error that moved.

``bench/corpus.py run --reports DIR`` writes one ``check --json`` report per history. Given
two such folders (before and after a change), this prints, per history present in both,
errors / warnings / notes before and after, then each error found on one side only, so a
change to what is reported can be read finding by finding (the corpus rule in
``bench/README.md``: every new error must be one to defend to the project's maintainers).

    .venv/bin/python bench/corpus_diff.py BEFORE_REPORTS AFTER_REPORTS [--all-severities]

A finding is identified by its code, migration, check and statement line; messages carry
generated values that differ between runs, so they are shown, not compared.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

Key = tuple[str, str, str, str]


def _report(path: Path) -> dict[str, Any] | None:
    """A history's report, or ``None`` where the run wrote none (exit 2, timeout)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _key(finding: dict[str, Any]) -> Key:
    """What identifies a finding across runs (not its message: it holds generated values)."""
    line = "" if finding.get("line") is None else str(finding["line"])
    return (str(finding["code"]), str(finding["migration"]), str(finding["check"]), line)


def _counts(report: dict[str, Any] | None) -> str:
    """``E/W/N`` of the report's unsuppressed findings, or why there is none."""
    if report is None:
        return "no report"
    found = Counter(f["severity"] for f in report["findings"] if not f.get("suppressed"))
    return f"{found['error']}/{found['warning']}/{found['note']}"


def _moved(
    before: dict[str, Any] | None, after: dict[str, Any] | None, severities: set[str]
) -> list[str]:
    """One line per finding of the given severities found on one side only."""

    def keyed(report: dict[str, Any] | None) -> dict[Key, dict[str, Any]]:
        if report is None:
            return {}
        return {
            _key(f): f
            for f in report["findings"]
            if f["severity"] in severities and not f.get("suppressed")
        }

    old, new = keyed(before), keyed(after)
    lines = [f"  - gone  {k[0]} {k[1]}: {old[k]['message'][:140]}" for k in old if k not in new]
    lines += [f"  + new   {k[0]} {k[1]}: {new[k]['message'][:140]}" for k in new if k not in old]
    return lines


def main() -> int:
    """Print the comparison; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument(
        "--all-severities", action="store_true", help="list moved warnings and notes as well"
    )
    args = parser.parse_args()
    severities = {"error", "warning", "note"} if args.all_severities else {"error"}
    names = sorted(
        {p.stem for p in args.before.glob("*.json")} & {p.stem for p in args.after.glob("*.json")}
    )
    for name in names:
        before = _report(args.before / f"{name}.json")
        after = _report(args.after / f"{name}.json")
        print(f"{name}: {_counts(before)} -> {_counts(after)}")
        for line in _moved(before, after, severities):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
