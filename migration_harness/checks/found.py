"""One exception type per distinct cause, so Hypothesis keeps each failure apart.

Split from :mod:`migration_harness.checks.engine`: a property raises the type of its
example's first cause, and the engine reads every cause Hypothesis reported back out of
the exception group it raises at the end.
"""

from __future__ import annotations

import functools
import re

from migration_harness.checks.minimal import Cause
from migration_harness.data.strategies import Dataset
from migration_harness.report.findings import Finding


class Found(AssertionError):
    """Raised inside a property so Hypothesis shrinks the dataset that produced it.

    One subclass per distinct cause (:func:`found_type`: kind, step, statement or table, see
    :func:`~migration_harness.checks.minimal.cause_of`): Hypothesis tells bugs apart by
    exception type, so an example that fails to apply and one that loses a value are two
    bugs, and so are rows lost from two tables by two statements of one file, each shrunk
    and reported; with one type per kind the first found hid the other.
    """

    findings: list[Finding]
    dataset: Dataset
    cause: Cause


@functools.lru_cache(maxsize=256)
def found_type(cause: Cause) -> type[Found]:
    """The exception type for examples whose first finding has ``cause``."""
    name = re.sub(r"\W+", "_", "_".join(cause))[:80]
    return type(f"Found_{name}", (Found,), {"__module__": __name__})


def leaves(group: BaseExceptionGroup[Found]) -> list[Found]:
    """The exceptions of a (nested) group, in order."""
    out: list[Found] = []
    for error in group.exceptions:
        if isinstance(error, BaseExceptionGroup):
            out += leaves(error)
        else:
            out.append(error)
    return out
