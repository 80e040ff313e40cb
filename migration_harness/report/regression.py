"""Regression files: a finding's shrunk example, written to ``<set>/regressions/``.

Two shapes share one format, so ``migration-harness replay`` and the plugin's regression
items take either:

- a *history* (the state machine's): ``history`` holds the steps, replayed through the
  machine's own code;
- an *example* (a per-migration check's): ``check``, the ``migration`` as the set names
  it (tracking id, label, version), and the shrunk ``rows`` (JSON, and as ``sql`` for
  people); replayed as exactly that example: restore the version the check started from,
  insert the rows, run the steps, compare as the check does.

The name carries the kind and the migration, so a folder of them reads as a list of known
bugs; the same bug (history, or cause of an example) always gets the same name, so a bug
found twice is written once.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from migration_harness.errors import HarnessError
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import Migration

REGRESSION_FORMAT: Final = 1


class NeedsSourceError(HarnessError):
    """A regression file found on real data (``check --data``): it holds keys, not rows."""


class RegressionPlaceError(HarnessError):
    """A regression file outside ``<set>/regressions/``: its set cannot be found."""


def write_regression(
    finding: Finding,
    root: Path,
    target: str,
    foreign_keys: bool | None = None,
    *,
    migration: Migration | None = None,
    cause: Sequence[str] = (),
    application_foreign_keys: bool | None = None,
    dialect: str = "sqlite",
) -> Path:
    """Write ``finding``'s example to ``<root>/regressions/``; the file's path.

    Args:
        finding: a finding whose example holds a ``history`` (state machine) or the rows
            of a per-migration check.
        root: the set's folder.
        target: the target the check ran under.
        foreign_keys: whether its connection enforced foreign keys.
        migration: the migration an example finding is about (named by its tracking id
            and version, so the file survives migrations added after it).
        cause: what makes two findings one bug (``checks.minimal.cause_of``): an example
            of the same cause overwrites the file instead of adding one.
        application_foreign_keys: whether the application's serving connections enforce
            foreign keys, when set (``application_foreign_keys``): replay decides the
            finding's severity under it.
        dialect: the engine the files ran on; recorded when not ``sqlite``, so replay
            runs libSQL's ALTER COLUMN as the check did.

    Raises:
        OSError: the folder cannot be created or written (the caller warns).
    """
    history = finding.example.get("history")
    key = history if history is not None else [finding.check, *cause]
    body = json.dumps(key, sort_keys=True, default=str).encode()
    digest = hashlib.sha256(body).hexdigest()[:8]
    folder = _folder(root)
    path = folder / f"{finding.kind}-{finding.migration or 'set'}-{digest}.json"
    data: dict[str, Any] = {
        "format": REGRESSION_FORMAT,
        "target": target,
        **({} if foreign_keys is None else {"foreign_keys": foreign_keys}),
        **(
            {}
            if application_foreign_keys is None
            else {"application_foreign_keys": application_foreign_keys}
        ),
        **({} if dialect == "sqlite" else {"dialect": dialect}),
        "finding": {
            "kind": finding.kind,
            "code": finding.code,
            "severity": finding.severity,
            "migration": finding.migration,
            "message": finding.message,
            "details": list(finding.details),
            "direction": finding.direction,
        },
        "steps": finding.example.get("steps", []),
    }
    if history is not None:
        data["history"] = history
    else:
        data["check"] = finding.check
        if migration is not None:
            data["migration"] = {
                "id": migration.id,
                "label": migration.label,
                "version": migration.version,
            }
        data["rows"] = finding.example.get("rows", [])
        data["sql"] = finding.example.get("sql", "")
    real = finding.example.get("real")
    if real is not None:
        # Found on real rows (``check --data``): only their keys and the copy's digest are
        # kept here, never their values, so replaying needs that same copy.
        data["real"] = real
        data["needs"] = (
            f"the same --data source ({real['source']}, sha256 {real['sha256']}): replay with "
            f"`migration-harness check --data {real['source']}`"
        )
    _write_inside(path, json.dumps(data, indent=2, default=str) + "\n")
    return path


def _folder(root: Path) -> Path:
    """``<root>/regressions``, created; never a link that leads out of the set.

    A ``regressions`` symlink to ``/etc`` or another project would make ``check`` write
    there (issue 15).

    Raises:
        OSError: the folder is a symlink, lies outside the set, or cannot be created.

    """
    folder = root / "regressions"
    if folder.is_symlink() or (folder.exists() and not _inside(folder, root)):
        message = f"{folder} is a symbolic link; regressions are written only inside the set"
        raise OSError(message)
    folder.mkdir(exist_ok=True)
    return folder


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` resolves to somewhere under ``root``."""
    return path.resolve().is_relative_to(root.resolve())


def _write_inside(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` without following a symlink planted at that name."""
    # O_NONBLOCK: a FIFO planted at the name fails at once (ENXIO) instead of blocking.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        message = f"{path}: cannot be written ({exc.strerror}; a symbolic link is never followed)"
        raise OSError(message) from exc
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def read_regression(path: Path) -> dict[str, Any]:
    """Load a regression file, refusing anything that is not one.

    A FIFO or device named like one is refused before it is opened: reading it waited for
    a writer for good (``replay``, and the plugin's collection of ``regressions/``).
    """
    if path.exists() and not path.is_file():
        message = f"{path}: is not a regular file (a FIFO or device named like a regression file)"
        raise HarnessError(message)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"{path}: not a readable regression file ({exc})"
        raise HarnessError(message) from exc
    problem = format_problem(data, "regression file", REGRESSION_FORMAT)
    if problem is not None or not isinstance(data, dict):
        message = f"{path}: {problem} (run check again to write it anew)"
        raise HarnessError(message)
    if "real" in data:
        message = f"{path}: found on real data; it needs {data.get('needs', 'the same --data')}"
        raise NeedsSourceError(message)
    if "history" not in data and not isinstance(data.get("migration"), dict):
        message = f"{path}: a regression file needs a history or a check's migration and rows"
        raise HarnessError(message)
    for key, kind in _FIELDS.items():
        if (key in _REQUIRED and key not in data) or not isinstance(data.get(key, kind()), kind):
            message = f"{path}: {key!r} must be a {kind.__name__} (a damaged regression file)"
            raise HarnessError(message)
    damage = _damage(data)
    if damage is not None:
        message = f"{path}: {damage} (a damaged regression file; run check again to write it anew)"
        raise HarnessError(message)
    return data


# The step kinds a history holds, and what each needs beyond ``op``.
_OPS: Final = ("apply", "rollback", "rerun", "insert", "update", "delete")


def _damage(data: dict[str, Any]) -> str | None:
    """What inside the file's finding, rows or history is not what the harness wrote.

    The top-level types alone let a hand-edited or half-merged file through: a row that is
    a list, a value ``{"hex": "zz"}``, a step without ``op`` or with one no history has,
    a finding without its ``kind`` each ended in an internal error (exit 3) mid-replay.
    """
    finding = data["finding"]
    if not isinstance(finding.get("kind"), str):
        return "finding.kind must be a str"
    for key in ("migration", "direction"):
        if not isinstance(finding.get(key), str | None):
            return f"finding.{key} must be a str or null"
    if "history" not in data and not isinstance(data["migration"].get("id"), str):
        return "migration.id must be a str"
    problem = _rows_damage(data.get("rows", []), "rows")
    for i, step in enumerate(data.get("history", []), start=1):
        problem = problem or _step_damage(step, f"history step {i}")
    return problem


def _step_damage(step: object, where: str) -> str | None:
    """Why ``step`` is no step :meth:`Step.from_json` and the history can run, if it is not."""
    if not isinstance(step, dict):
        return f"{where} must be an object"
    op = step.get("op")
    if op not in _OPS:
        return f"{where}: op {op!r} is none of {', '.join(_OPS)}"
    if op in ("apply", "rollback", "rerun"):
        return None if isinstance(step.get("migration"), str) else f"{where}: no migration"
    if op == "insert":
        rows = step.get("rows")
        if not isinstance(rows, list):
            return f"{where}: no rows"
        return _rows_damage(rows, f"{where} rows")
    if not isinstance(step.get("table"), str):
        return f"{where}: no table"
    for key in ("where", "values") if op == "update" else ("where",):
        problem = _values_damage(step.get(key), f"{where} {key}")
        if problem is not None:
            return problem
    return None


def _rows_damage(rows: list[Any], where: str) -> str | None:
    """Why ``rows`` are not ``{"table": str, "values": {...}}`` rows, if they are not."""
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("table"), str):
            return f"{where} {i} must be an object with a table"
        problem = _values_damage(row.get("values"), f"{where} {i} values")
        if problem is not None:
            return problem
    return None


def _values_damage(values: object, where: str) -> str | None:
    """Why ``values`` is not a column → SQL value object (a blob as ``{"hex": ...}``)."""
    if not isinstance(values, dict):
        return f"{where} must be an object"
    for column, value in values.items():
        if isinstance(value, dict):
            try:
                bytes.fromhex(str(value.get("hex")))
            except ValueError:
                return f"{where}: {column!r} is a blob without valid hex"
        elif not isinstance(value, int | float | str | None):
            return f"{where}: {column!r} is no SQL value"
    return None


# What a regression file holds, by type: a hand-edited or damaged file is one line, exit 2.
_FIELDS: Final[dict[str, type]] = {
    "target": str,
    "finding": dict,
    "history": list,
    "steps": list,
    "rows": list,
    "check": str,
    "migration": dict,
    "sql": str,
    "foreign_keys": bool,
    "application_foreign_keys": bool,
    "dialect": str,
}
_REQUIRED: Final = ("target", "finding")


def format_problem(data: object, kind: str, expected: int) -> str | None:
    """Why ``data`` (a parsed JSON file) is not a ``kind`` of this version, if it is not.

    A file of another version of the harness says so by its number: "not a baseline
    (format 1)" read as if the file were damaged when it was only newer or older.
    """
    found = data.get("format") if isinstance(data, dict) else None
    if found == expected:
        return None
    if isinstance(found, int) and not isinstance(found, bool):
        return (
            f"{kind} format {found} is another version's; this migration-harness reads "
            f"format {expected}"
        )
    return f"not a migration-harness {kind}: it has no format number"


def regression_set_root(path: Path) -> Path:
    """Regressions live in ``<set>/regressions/``: the set is the folder above.

    Raises:
        RegressionPlaceError: the file is not in a ``regressions`` folder. Its set was then
            looked for in whatever folder held its folder: a file copied to ``/tmp`` was
            replayed against the other projects under ``/`` ("/tmp/x: folder name does not
            start with a version").
    """
    resolved = path.resolve()
    if resolved.parent.name != "regressions":
        message = (
            f"{path}: a regression file is replayed from its set's regressions/ folder "
            f"(it is in {resolved.parent.name or resolved.parent}/; move it back there)"
        )
        raise RegressionPlaceError(message)
    return resolved.parent.parent
