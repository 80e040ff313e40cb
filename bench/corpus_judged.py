"""How many of a corpus run's errors are genuine, by the verdicts in ``bench/verdicts.toml``.

Usage::

    python bench/corpus_judged.py RUN.json [--verdicts bench/verdicts.toml] [--all]

``RUN.json`` is the summary ``corpus.py run --out`` writes. Each error is matched to the first
verdict of its history whose migration is a prefix of the error's, whose code is the same and
whose text the error's message holds. Prints a row per history (errors, genuine, minor, false,
open, unjudged), the totals with issue 13's measure (genuine errors over all errors; its aim is
80%), then every error no verdict covers: those are the ones to read against the SQL before a
change that moves errors can be called an improvement. ``--all`` also lists, per error, the
verdict it got. Verdicts that matched nothing are listed last (the finding is gone, or its
message changed). Judging stays a person's work: this only keeps the verdicts with the corpus
so that each run is counted the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VERDICTS = HERE / "verdicts.toml"
KINDS = ("genuine", "minor", "false", "open")


@dataclass(frozen=True, slots=True)
class Verdict:
    """One judged error (or family of errors sharing migration, code and text)."""

    repo: str
    migration: str
    code: str
    text: str
    verdict: str
    why: str

    def covers(self, error: dict[str, Any]) -> bool:
        """Whether ``error`` (a finding of the run's summary) is the one judged here."""
        return (
            str(error.get("migration", "")).startswith(self.migration)
            and error.get("code") == self.code
            and self.text in str(error.get("message", ""))
        )


def load_verdicts(path: Path) -> dict[str, list[Verdict]]:
    """The verdicts of ``path`` by repository; a verdict outside :data:`KINDS` stops here."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found: dict[str, list[Verdict]] = {}
    for history in data.get("history", []):
        repo = history["repo"]
        for migration, code, text, verdict, why in history["errors"]:
            if verdict not in KINDS:
                msg = f"{path}: {repo} {migration} {code}: verdict {verdict!r} not one of {KINDS}"
                raise SystemExit(msg)
            found.setdefault(repo, []).append(Verdict(repo, migration, code, text, verdict, why))
    return found


def judge(
    run: dict[str, Any], verdicts: dict[str, list[Verdict]]
) -> tuple[dict[str, Counter[str]], list[tuple[str, dict[str, Any], Verdict | None]], set[Verdict]]:
    """Count each history's errors by verdict; every error with its verdict; verdicts used."""
    counts: dict[str, Counter[str]] = {}
    listed: list[tuple[str, dict[str, Any], Verdict | None]] = []
    used: set[Verdict] = set()
    for history in run.get("histories", []):
        repo = history["repo"]
        tally = counts.setdefault(repo, Counter())
        for error in history.get("findings", []):
            if error.get("severity") != "error":
                continue
            verdict = next((v for v in verdicts.get(repo, []) if v.covers(error)), None)
            tally["errors"] += 1
            tally[verdict.verdict if verdict else "unjudged"] += 1
            listed.append((repo, error, verdict))
            if verdict is not None:
                used.add(verdict)
    return counts, listed, used


def _percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage (a dash for nothing)."""
    return f"{100 * part / whole:.1f}%" if whole else "-"


def report(run: dict[str, Any], verdicts: dict[str, list[Verdict]], *, every: bool) -> str:
    """The per-history table, the totals, the unjudged errors and the unused verdicts."""
    counts, listed, used = judge(run, verdicts)
    columns = ("errors", *KINDS, "unjudged")
    lines = ["| history | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    total: Counter[str] = Counter()
    for repo, tally in sorted(counts.items()):
        total.update(tally)
        if tally["errors"]:
            lines.append(f"| {repo} | " + " | ".join(str(tally[c]) for c in columns) + " |")
    lines.append("| **total** | " + " | ".join(f"**{total[c]}**" for c in columns) + " |")
    errors = total["errors"]
    lines.append("")
    lines.append(
        f"genuine {total['genuine']} of {errors} errors ({_percent(total['genuine'], errors)}; "
        f"issue 13 aims at 80%), genuine or minor {total['genuine'] + total['minor']} "
        f"({_percent(total['genuine'] + total['minor'], errors)}), false {total['false']}, "
        f"open {total['open']}, unjudged {total['unjudged']}"
    )
    shown = [(r, e, v) for r, e, v in listed if every or v is None]
    if shown:
        lines.append("")
        lines.append("errors listed:" if every else "errors no verdict covers (read them):")
        for repo, error, verdict in shown:
            said = f"{verdict.verdict}: {verdict.why}" if verdict else "UNJUDGED"
            lines.append(
                f"- {repo} {error.get('migration')} {error.get('code')}: "
                f"{str(error.get('message', ''))[:160]} -> {said}"
            )
    ran = set(counts)
    unused = [v for repo, vs in verdicts.items() if repo in ran for v in vs if v not in used]
    if unused:
        lines.append("")
        lines.append("verdicts no error of this run matched (gone, or its message changed):")
        lines.extend(f"- {v.repo} {v.migration} {v.code} {v.text!r} ({v.verdict})" for v in unused)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the judged share of a run's errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="summary JSON of `corpus.py run --out`")
    parser.add_argument("--verdicts", type=Path, default=VERDICTS, help="verdicts.toml to read")
    parser.add_argument("--all", action="store_true", help="list every error with its verdict")
    args = parser.parse_args(argv)
    run = json.loads(args.run.read_text(encoding="utf-8"))
    print(report(run, load_verdicts(args.verdicts), every=args.all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
