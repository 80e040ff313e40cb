"""Lint findings as text, JSON, SARIF 2.1.0 and GitHub workflow annotations.

One finding, four spellings: every format names the same code, file, line and column, and
the wording comes from the catalogue, so an editor, a CI log and code scanning agree.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from migration_harness.report.catalogue import RULES
from migration_harness.report.findings import Finding

FORMATS: Final = ("text", "json", "sarif", "github")
SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL: Final = {"error": "error", "warning": "warning", "note": "note"}
_COLUMN_PREFIX: Final = "column "


def column_of(finding: Finding) -> int:
    """The column a lint finding points at (kept in its details: Finding has no field)."""
    for detail in finding.details:
        if detail.startswith(_COLUMN_PREFIX) and detail[len(_COLUMN_PREFIX) :].isdigit():
            return int(detail[len(_COLUMN_PREFIX) :])
    return 1


def shown_path(path: str | None) -> str:
    """The file relative to the working folder when it is below it (as editors expect)."""
    if not path:
        return ""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def render(findings: Sequence[Finding], fmt: str, *, files: int = 0) -> str:
    """``findings`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return json.dumps(to_json(findings), indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(findings), indent=2) + "\n"
    if fmt == "github":
        return "".join(annotation(f) + "\n" for f in findings if not f.suppressed)
    return text(findings, files=files)


def text(findings: Sequence[Finding], *, files: int = 0) -> str:
    """``file:line:col: CODE severity: message`` lines, the fix under each, then a summary."""
    lines = []
    for finding in findings:
        where = f"{shown_path(finding.file)}:{finding.line or 1}:{column_of(finding)}"
        mark = f" (suppressed: {finding.suppressed})" if finding.suppressed else ""
        lines.append(f"{where}: {finding.code} {finding.severity}: {finding.message}{mark}")
        lines.append(f"    {finding.kind}: {RULES[finding.code].fix}")
    lines.append(summary(findings, files=files))
    return "\n".join(lines) + "\n"


def summary(findings: Sequence[Finding], *, files: int = 0) -> str:
    """``3 lint findings (1 error, 2 warnings) in 12 files``."""
    counts = Counter(f.severity for f in findings if not f.suppressed)
    parts = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in sorted(counts))
    total = sum(counts.values())
    suppressed = sum(1 for f in findings if f.suppressed)
    text = f"{total} lint finding{'s' if total != 1 else ''}"
    text += f" ({parts})" if parts else ""
    text += f" in {files} file{'s' if files != 1 else ''}" if files else ""
    return text + (f"; {suppressed} suppressed" if suppressed else "")


def annotation(finding: Finding) -> str:
    """A GitHub Actions workflow command: ``::error file=…,line=…,col=…,title=CODE::msg``."""
    level = {"error": "error", "warning": "warning"}.get(finding.severity, "notice")
    props = (
        f"file={_escape_property(shown_path(finding.file))},line={finding.line or 1},"
        f"col={column_of(finding)},title={_escape_property(f'{finding.code} {finding.kind}')}"
    )
    return f"::{level} {props}::{_escape_data(finding.message)}"


def _escape_data(text: str) -> str:
    """GitHub's escaping of a command's message (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub's escaping of a command's property (also ``:`` and ``,``)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_json(findings: Sequence[Finding]) -> dict[str, Any]:
    """``{"findings": [...], "summary": {...}}`` with the column beside the line."""
    items = []
    for finding in findings:
        data = finding.to_json()
        data["column"] = column_of(finding)
        data["file"] = shown_path(finding.file)
        items.append(data)
    counts = Counter(f.severity for f in findings if not f.suppressed)
    return {"findings": items, "summary": dict(sorted(counts.items()))}


def to_sarif(findings: Sequence[Finding]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run of the ``migration-harness lint`` tool."""
    codes = sorted({f.code for f in findings})
    rules = [
        {
            "id": code,
            "name": RULES[code].kind,
            "shortDescription": {"text": RULES[code].title},
            "fullDescription": {"text": RULES[code].why},
            "help": {"text": RULES[code].fix},
            "defaultConfiguration": {"level": _SARIF_LEVEL[RULES[code].severity]},
        }
        for code in codes
    ]
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": codes.index(finding.code),
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": Path(shown_path(finding.file)).as_posix(),
                        },
                        "region": {
                            "startLine": finding.line or 1,
                            "startColumn": column_of(finding),
                        },
                    }
                }
            ],
        }
        if finding.suppressed:
            result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "migration-harness lint",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
