"""SARIF 2.1.0 for code scanning: each finding annotates the migration file at its statement.

GitHub code scanning (and any SARIF viewer) shows a result at ``artifactLocation.uri`` +
``region.startLine``. URIs are relative to the working folder when the set lies below it
(a CI job runs from the repository root), else to the set's root (``uriBaseId`` ``SETROOT``).
Every catalogue rule is listed under ``tool.driver.rules`` so a viewer can show its help.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final

from migration_harness.report.catalogue import RULES
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.report.outputs import replace_text

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI: Final = (
    "https://github.com/migration-harness/migration-harness/blob/main/docs/FINDINGS.md"
)


def sarif_of(run: CheckRun, cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log of one check run."""
    from migration_harness import __version__

    base = (cwd or Path.cwd()).resolve()
    root = Path(run.set_path).resolve()
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "migration-harness",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule(code) for code in sorted(RULES)],
                    }
                },
                "originalUriBaseIds": {"SETROOT": {"uri": root.as_uri() + "/"}},
                "results": [_result(f, root, base) for f in run.findings],
            }
        ],
    }


def write_sarif(run: CheckRun, path: Path) -> None:
    """Write :func:`sarif_of` to ``path`` (``-``: standard output)."""
    text = json.dumps(sarif_of(run), indent=2) + "\n"
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        replace_text(path, text)


def _rule(code: str) -> dict[str, Any]:
    """A ``reportingDescriptor`` for one catalogue rule."""
    rule = RULES[code]
    return {
        "id": code,
        "name": rule.kind,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.why}. Fix: {rule.fix}."},
        "defaultConfiguration": {"level": rule.severity},
        "helpUri": f"{INFO_URI}#{code.lower()}",
    }


def _result(finding: Finding, root: Path, base: Path) -> dict[str, Any]:
    """One SARIF result: the code, its level, the message and where."""
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": finding.severity,
        "message": {"text": _text(finding)},
    }
    if finding.file is not None:
        result["locations"] = [_location(finding, root, base)]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "external", "justification": finding.suppressed}]
    return result


def _text(finding: Finding) -> str:
    """The message a viewer shows: migration, message, details."""
    where = f"{finding.migration}: " if finding.migration else ""
    details = "".join(f"\n- {d}" for d in finding.details)
    return f"{finding.kind}: {where}{finding.message}{details}"


def _location(finding: Finding, root: Path, base: Path) -> dict[str, Any]:
    """``physicalLocation``: the file relative to the working folder or the set root."""
    path = Path(str(finding.file))
    absolute = path if path.is_absolute() else root / path
    artifact: dict[str, Any]
    if absolute.resolve().is_relative_to(base):
        artifact = {"uri": absolute.resolve().relative_to(base).as_posix()}
    else:
        relative = path if not path.is_absolute() else Path(path.name)
        artifact = {"uri": relative.as_posix(), "uriBaseId": "SETROOT"}
    return {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": finding.line or 1},
        }
    }
