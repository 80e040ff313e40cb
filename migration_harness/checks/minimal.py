"""What a finding is about (its cause) and the smallest dataset that still shows it.

Two helpers of the engine, kept apart from it so the per-migration properties and the
regression replay agree on them without the engine growing:

- :func:`cause_of` names the distinct defect a finding shows (kind, step, statement or
  table), so one exception type per cause lets Hypothesis keep and shrink two defects of
  one file apart (issue 13: no finding hides another);
- :func:`minimal_dataset` drops the rows the finding does not need after Hypothesis's
  shrinking, which cannot go below one row per table it drew: a rollback losing one
  ``users`` row used to print INSERTs into every table of the set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from migration_harness.data.strategies import Dataset
from migration_harness.report.findings import Finding

Cause = tuple[str, ...]

# The lines compare() and integrity_problems() write: "users: row id=1 is lost",
# "tracks row 1000 references missing artists (foreign key #0)".
_LOSS_TABLE: Final = re.compile(r"^(.+?): row ")
_FK_TABLE: Final = re.compile(r"^(.+?) row \S+ references missing ")
# Re-running a property on a candidate costs one restore and one step: bounded so a wide
# dataset (max_rows * many tables) cannot make minimisation dominate a check.
MAX_ROW_TRIALS: Final = 60


def cause_of(finding: Finding) -> Cause:
    """The distinct defect ``finding`` shows: ``(kind, direction, check, step, what)``.

    ``what`` is the failing statement for errors, the table(s) whose rows were lost for
    ``data_loss``, the child table(s) left orphaned for ``fk_violation``. Two findings
    with one cause are one bug; two causes are two bugs, each with its own example.
    """
    steps = finding.example.get("steps") or [""]
    key = (finding.kind, finding.direction or "", finding.check, str(steps[-1]))
    statement = next((d for d in finding.details if d.startswith("statement: ")), None)
    if statement is not None:
        return (*key, statement)
    pattern = {"data_loss": _LOSS_TABLE, "fk_violation": _FK_TABLE}.get(finding.kind)
    if pattern is None:
        return key
    tables = {m.group(1) for d in finding.details if (m := pattern.match(d))}
    return (*key, *sorted(tables))


def minimal_dataset(dataset: Dataset, still_fails: Callable[[Dataset], bool]) -> Dataset:
    """The smallest sub-dataset of ``dataset`` for which ``still_fails`` holds.

    First whole tables go (children before parents: the dataset lists parents first),
    then single rows; each removal is kept only when replaying the example still shows
    the finding. What stays is what the finding needs: its table(s), the parents their
    rows reference (without them the rows are refused and the finding goes) and, for a
    cascade, the child rows it deletes.
    """
    current = dataset
    for table in reversed(dict.fromkeys(row.table for row in dataset.rows)):
        candidate = Dataset(tuple(r for r in current.rows if r.table != table))
        if len(candidate) < len(current) and still_fails(candidate):
            current = candidate
    if len(current) > MAX_ROW_TRIALS:
        return current
    for index in reversed(range(len(current))):
        candidate = Dataset(current.rows[:index] + current.rows[index + 1 :])
        if still_fails(candidate):
            current = candidate
    return current


def one_per_cause(
    example: Callable[[Dataset], list[Finding]],
    refused: Callable[[], int],
    errors: Sequence[tuple[Cause, Dataset, list[Finding]]],
) -> list[Finding]:
    """One finding per cause, each replayed on the smallest dataset that shows it.

    ``example`` runs one example and returns its findings; ``refused`` is how many rows the
    last one's database refused. Each shrunk example is first reduced for its own cause; a
    cause that only showed beside another one (Hypothesis never raised it first) is reduced
    from that example, so it too gets an example of its own.
    """
    out: dict[Cause, Finding] = {}
    pending = [*errors]
    pending += [(cause_of(f), dataset, found) for _, dataset, found in errors for f in found]
    for cause, dataset, fallback in pending:
        if cause not in out:
            out[cause] = _reduced(example, refused, cause, dataset, fallback)
    return list(out.values())


def _reduced(
    example: Callable[[Dataset], list[Finding]],
    refused: Callable[[], int],
    cause: Cause,
    dataset: Dataset,
    fallback: list[Finding],
) -> Finding:
    """The finding of ``cause`` on the smallest part of ``dataset`` still showing it."""

    def showing(candidate: Dataset) -> Finding | None:
        return next((f for f in example(candidate) if cause_of(f) == cause), None)

    showing(dataset)
    limit = refused()

    def still_fails(candidate: Dataset) -> bool:
        # A candidate whose rows the database refuses (a child without its parent) is
        # another example, not a smaller one.
        return showing(candidate) is not None and refused() <= limit

    reduced = minimal_dataset(dataset, still_fails)
    finding = showing(reduced)
    if finding is None:  # the property is not deterministic: keep what Hypothesis gave
        finding = next(f for f in fallback if cause_of(f) == cause)
    return finding
