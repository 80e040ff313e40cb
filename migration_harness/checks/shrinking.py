"""How far Hypothesis shrinks a failing example: a count of shrinks, never a clock.

A property's example holds at least one row of every table it draws (see
:func:`~migration_harness.data.strategies.row_bounds`), so on a wide schema it has
hundreds of values, and Hypothesis's shrinker simplifies them one successful step at a
time: up to its own 500 shrinks, or until five minutes of *wall* time have passed. A file
that fails on nearly any data (fclairamb/solidping's 002 breaks a CHECK on every
``results`` row) spent those five minutes in each property that draws for it: eleven
minutes for an eleven-file history that applies in 1.5 s, and an example that depended on
how busy the machine was, so ``--seed`` did not reproduce it.

Most of those steps simplify values of tables the failure does not need, which
:func:`~migration_harness.checks.minimal.minimal_dataset` drops afterwards anyway. So
each property run may shrink :data:`SHRINKS_PER_EXAMPLE` times its example budget: a
failing property then costs a small multiple of a passing one, the same in every run.
Detection is unchanged: the generation phase draws exactly as before, and the example
reported still fails (Hypothesis replays it, then the engine reduces and replays it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from hypothesis.internal.conjecture import engine as conjecture

# Shrinks allowed per example of the property's budget: 50 for ci's 25 examples, 600 for
# thorough's 300 (Hypothesis's own 500 stays the ceiling).
SHRINKS_PER_EXAMPLE: Final = 2
# The least any property run may shrink, however small its budget (dev: 10 examples).
LEAST_SHRINKS: Final = 30


def shrink_limit(examples: int) -> int:
    """The successful shrinks a property run of ``examples`` examples may make."""
    return max(LEAST_SHRINKS, SHRINKS_PER_EXAMPLE * examples)


@contextmanager
def shrinks_capped(limit: int) -> Iterator[None]:
    """Run Hypothesis with at most ``limit`` successful shrinks (never more than its own).

    Hypothesis reads ``MAX_SHRINKS`` from its engine module at each shrink and keeps it
    monkeypatchable on purpose (its comment there says so); it is put back afterwards, so
    a user's own tests in the same process keep Hypothesis's limit.
    """
    previous = conjecture.MAX_SHRINKS
    conjecture.MAX_SHRINKS = min(previous, limit)
    try:
        yield
    finally:
        conjecture.MAX_SHRINKS = previous
