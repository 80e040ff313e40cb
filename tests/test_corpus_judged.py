"""A corpus run's errors are counted against the verdicts kept with the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus_judged import VERDICTS, judge, load_verdicts, report

VERDICTS_TEXT = """
[[history]]
repo = "o/app"
errors = [
  ["0002_rebuild", "MH141", "", "genuine", "the rebuild cascades"],
  ["0003_unique", "MH101", "users.email", "false", "the app looks e-mails up first"],
  ["0003_unique", "MH101", "users.name", "minor", "one user only"],
]
"""


def _error(migration: str, code: str, message: str, severity: str = "error") -> dict[str, str]:
    return {"migration": migration, "code": code, "message": message, "severity": severity}


def test_each_error_gets_the_first_verdict_that_covers_it(tmp_path: Path) -> None:
    path = tmp_path / "verdicts.toml"
    path.write_text(VERDICTS_TEXT, encoding="utf-8")
    run = {
        "histories": [
            {
                "repo": "o/app",
                "findings": [
                    _error("0002_rebuild", "MH141", "loses 1 row(s) of orders"),
                    _error("0002_rebuild", "MH141", "loses 1 row(s) of items"),
                    _error("0003_unique", "MH101", "UNIQUE constraint failed: users.email"),
                    _error("0003_unique", "MH101", "UNIQUE constraint failed: users.handle"),
                    _error("0004_x", "MH153", "no index", severity="warning"),
                ],
            }
        ]
    }
    counts, listed, used = judge(run, load_verdicts(path))
    tally = counts["o/app"]
    assert (tally["errors"], tally["genuine"], tally["false"], tally["unjudged"]) == (4, 2, 1, 1)
    assert [v.verdict if v else None for _, _, v in listed] == [
        "genuine",
        "genuine",
        "false",
        None,
    ]
    text = report(run, load_verdicts(path), every=False)
    assert "genuine 2 of 4 errors (50.0%" in text
    assert "users.handle" in text  # the unjudged error is listed to be read
    assert "'users.name' (minor)" in text  # a verdict nothing matched is named
    assert len(used) == 2


def test_an_unknown_verdict_stops_the_count(tmp_path: Path) -> None:
    path = tmp_path / "verdicts.toml"
    path.write_text(VERDICTS_TEXT.replace('"minor"', '"maybe"'), encoding="utf-8")
    with pytest.raises(SystemExit, match="maybe"):
        load_verdicts(path)


def test_the_kept_verdicts_load() -> None:
    verdicts = load_verdicts(VERDICTS)
    assert sum(len(v) for v in verdicts.values()) > 100
