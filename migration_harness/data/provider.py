"""Generation that depends on the seed and the schema only, not on what else is imported.

Hypothesis (6.131 and later) biases about one draw in twenty towards constants it scrapes
from the source of every "local" module in ``sys.modules``: any module outside
site-packages, so the harness itself when it is installed editable, and the user's own
code and conftest files under pytest. The datasets a seeded run draws then change with the
import order: importing ``migration_harness.cli`` (a few hundred more string literals)
made ``check`` miss the planted loss in ``rebuild_text_to_integer`` with seed 3, and an
installed wheel would have drawn other data than an editable checkout. A reproducible
``ci`` run must not depend on either.

:func:`source_blind` makes Hypothesis's provider draw constants from its fixed global
pool only, for the duration of one of the harness's own runs; users' tests in the
same process keep the stock provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:  # Hypothesis internals: absent before 6.131, where no local constants exist at all.
    from hypothesis.internal.conjecture.choice import choice_constraints_key, choice_permitted
    from hypothesis.internal.conjecture.providers import (
        GLOBAL_CONSTANTS,
        HypothesisProvider,
    )

    _SUPPORTED = hasattr(HypothesisProvider, "_maybe_draw_constant")
except ImportError:  # pragma: no cover - depends on the installed Hypothesis
    _SUPPORTED = False

_POOLS: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _global_pool(choice_type: Any, constraints: Any) -> tuple[Any, ...]:
    """The global constants a choice of this type and these bounds may take (cached)."""
    key = (choice_type, choice_constraints_key(choice_type, constraints))
    pool = _POOLS.get(key)
    if pool is None:
        everything = GLOBAL_CONSTANTS.set_for_type(choice_type)
        pool = _POOLS[key] = tuple(c for c in everything if choice_permitted(c, constraints))
    return pool


def _maybe_draw_global_constant(
    self: Any, choice_type: Any, constraints: Any, *, p: float = 0.05
) -> Any:
    """The stock ``_maybe_draw_constant``, drawing from the global pool only (same odds)."""
    if self._random.random() > p:
        return None
    pool = _global_pool(choice_type, constraints)
    return self._random.choice(pool) if pool else None


@contextmanager
def source_blind() -> Iterator[None]:
    """Draw no constants scraped from imported modules in the Hypothesis runs inside.

    The method is swapped on Hypothesis's provider class itself, not registered as a
    backend: the engine falls back to that class by name in its reuse, generate and shrink
    phases whatever the backend is. Runs are single-threaded, so the swap lasts exactly as
    long as the harness's own run.
    """
    if not _SUPPORTED:  # pragma: no cover - depends on the installed Hypothesis
        yield
        return
    stock = HypothesisProvider.__dict__["_maybe_draw_constant"]
    setattr(HypothesisProvider, "_maybe_draw_constant", _maybe_draw_global_constant)  # noqa: B010
    try:
        yield
    finally:
        setattr(HypothesisProvider, "_maybe_draw_constant", stock)  # noqa: B010
