"""What a finding carries besides its words: the example, the kind of a failure.

Split out of :mod:`migration_harness.checks.engine` (which keeps the versions and runs the
properties): every check builds its findings' examples here, and a file that failed is
told apart from one the sandbox refused or the clock stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from migration_harness.data.strategies import Dataset
from migration_harness.errors import MigrationError
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.sandbox import SandboxEscapeError, StatementTimeoutError

if TYPE_CHECKING:
    from migration_harness.d1.mirror import Divergence


def example_of(dataset: Dataset, steps: list[str]) -> dict[str, Any]:
    """The example attached to a finding: rows as SQL and JSON, and the steps."""
    return {
        "sql": dataset.render() if dataset.rows else "",
        "rows": dataset.to_json(),
        "steps": steps,
    }


# Stands for the rows of an example not rendered yet (see ``example_later``).
_UNRENDERED: Final[Any] = object()


def example_later(steps: list[str]) -> dict[str, Any]:
    """:func:`example_of` with the rows left to :func:`rendered`, for an example's body.

    A property's body built its example (the rows as SQL and as JSON) before it knew
    whether a finding would carry it: ~780 renderings on ``db/`` for no finding at all
    (issue 17). The keys are there, in their order; the rows are filled in when the body
    returns findings (:func:`rendering`).
    """
    return {"sql": _UNRENDERED, "rows": _UNRENDERED, "steps": steps}


def rendered(findings: list[Finding], dataset: Dataset) -> list[Finding]:
    """``findings`` with the rows of each example made by :func:`example_later` filled in."""
    for finding in findings:
        example = finding.example
        if example.get("sql") is _UNRENDERED:
            example["sql"] = dataset.render() if dataset.rows else ""
        if example.get("rows") is _UNRENDERED:
            example["rows"] = dataset.to_json()
    return findings


def rendering(
    body: Callable[[Dataset], list[Finding]],
) -> Callable[[Dataset], list[Finding]]:
    """``body`` whose findings come with their examples rendered (:func:`rendered`)."""

    def run(dataset: Dataset) -> list[Finding]:
        return rendered(body(dataset), dataset)

    return run


def failure_kind(exc: MigrationError, kind: str) -> str:
    """The finding kind of a file that failed as ``kind`` (``apply_error`` …).

    A statement the sandbox refused or the clock interrupted did not fail in the way the
    file's author can see on a copy of the database: it is ``sandbox_escape`` or
    ``statement_timeout``, whichever step it happened in.
    """
    if isinstance(exc, SandboxEscapeError):
        return "sandbox_escape"
    if isinstance(exc, StatementTimeoutError):
        return "statement_timeout"
    return kind


def divergence_finding(
    mset: MigrationSet, divergence: Divergence, dataset: Dataset | None
) -> Finding:
    """An ``engine_divergence`` finding: the file, the state before and both outcomes."""
    path = divergence.path
    migration = next(
        (m for m in mset.migrations if str(m.path) == path or str(m.down_path) == path), None
    )
    name = path.rsplit("/", 1)[-1]
    example = example_of(dataset or Dataset(), ["restore the state before", f"run {name}"])
    example.update(
        state_before=divergence.state_before, emulation=divergence.emulation, d1=divergence.d1
    )
    return Finding(
        "engine_divergence",
        migration.label if migration else None,
        f"the d1 emulation and the local D1 disagree on {name}: {divergence.summary}",
        (
            f"emulation: {divergence.emulation}",
            f"local D1: {divergence.d1}",
            *divergence.details,
        ),
        example,
        check="differential",
    )
