"""Integer and boolean choices made on Hypothesis's test case itself, spans included.

Drawing a row costs one choice per column plus a few for its foreign keys, and each
``draw(st.integers(...))`` went through ``ConjectureData.draw``: validation, the strategy
unwrapped, a check for a value to re-encode, the value recorded for the shrinker, then
the strategy's ``do_draw``. That wrapper cost more than the choice itself (about 18 µs a
draw against 11 µs done here, measured inside ``@given``), and the generator made ~70,000
of them on ``db/``.

:class:`Chooser` makes the same choice with the same constraints (``st.integers``' bound
weights included) inside a span of the same label, so the choice sequence and the span
tree, and so generation, the span-copying mutator, replay and shrinking, are exactly what
the strategy draw gives: the same examples, the same findings. (Skipping the spans, as
an earlier attempt did, changed which examples the mutator made, and the ``ci`` seed
missed a planted defect.) What is skipped is the recorded value of a one-choice span,
which the shrinker never uses (it widens only spans of more than one choice).

The choice itself goes to ``ConjectureData._draw`` with a constraints dict built once per
bounds (:func:`_integer_constraints`): ``draw_integer`` validated the weights and looked
the same dict up in Hypothesis's pool of constraints on every call, a quarter of the
choice's cost (~89,000 choices on ``db/``). ``_draw`` gets what ``draw_integer`` would hand
it, an equal dict; providers that must not share dicts (``avoid_realization``) still go
through ``draw_integer``.

``ConjectureData`` is Hypothesis's internal test-case object, reached through the
``draw`` a composite strategy receives (its bound ``draw`` method); where ``draw`` is
anything else the choices fall back to plain strategy draws, with the same result.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from hypothesis import strategies as st

if TYPE_CHECKING:
    from hypothesis.internal.conjecture.choice import BooleanConstraints, IntegerConstraints

try:
    from hypothesis.internal.conjecture.data import ConjectureData
except ImportError:  # pragma: no cover - a Hypothesis that moved its internals
    ConjectureData = None  # type: ignore[assignment,misc]

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _direct_choices_supported() -> bool:
    """This Hypothesis has the test-case methods :class:`Chooser` calls, as it calls them.

    They are internal (``start_span`` was ``start_example`` before 2025): with any other
    shape every choice goes through the plain strategy draw, which gives the same values.
    """
    if ConjectureData is None:
        return False
    names = ("start_span", "stop_span", "draw_integer", "draw_boolean", "_draw")
    if not all(callable(getattr(ConjectureData, name, None)) for name in names):
        return False
    draw = inspect.signature(ConjectureData._draw).parameters
    if not {"choice_type", "constraints", "observe", "forced"} <= draw.keys():
        return False
    return "weights" in inspect.signature(ConjectureData.draw_integer).parameters


_DIRECT: Final = _direct_choices_supported()


@functools.lru_cache(maxsize=4096)
def integers(low: int, high: int) -> st.SearchStrategy[int]:
    """``st.integers(low, high)``, built once per bounds.

    ``st.integers`` validates its arguments and looks them up in Hypothesis's strategy
    cache on every call: a few tens of microseconds, paid per pick otherwise.
    """
    return st.integers(min_value=low, max_value=high)


_BOOLEANS: Final = st.booleans()


@functools.cache
def _labels() -> tuple[int, int]:
    """The span labels of ``st.integers`` and ``st.booleans``, read on the first choice.

    Every st.integers strategy has one label, and every st.booleans one: the spans a
    strategy draw opens are labelled with them, and so are the spans opened here. Reading
    a label evaluates the lazy strategy, which Hypothesis reports as a side effect
    (``HypothesisSideeffectWarning``, an error under ``-W error``) when it happens while
    pytest loads plugins: the plugin imports this module from ``pytest_configure``, so
    the labels are read only once a test case draws.
    """
    return integers(0, 1).label, _BOOLEANS.label


# st.integers makes the bounds and their neighbours likelier on ranges wider than this.
_WEIGHTED_SPAN: Final = 127
# What draw_boolean() passes on: the same dict every time (Hypothesis never mutates it).
_BOOLEAN_CONSTRAINTS: Final[BooleanConstraints] = {"p": 0.5}


@functools.lru_cache(maxsize=4096)
def _integer_constraints(low: int, high: int) -> IntegerConstraints:
    """What ``draw_integer(low, high, weights=...)`` passes to ``_draw``, built once.

    The weights are ``st.integers``' own for a bounded range wider than
    :data:`_WEIGHTED_SPAN`: the bounds and their neighbours made likelier.
    """
    weights = None
    if high - low > _WEIGHTED_SPAN:
        weights = {low: 2 / 128, low + 1: 1 / 128, high - 1: 1 / 128, high: 2 / 128}
    constraints: IntegerConstraints = {
        "min_value": low,
        "max_value": high,
        "weights": weights,
        "shrink_towards": 0,
    }
    return constraints


class Chooser:
    """Choices for one test case: ``draw`` for strategies, direct calls for the rest."""

    __slots__ = ("_data", "draw")

    def __init__(self, draw: Draw) -> None:
        self.draw = draw
        data = getattr(draw, "__self__", None)
        self._data = data if _DIRECT and isinstance(data, ConjectureData) else None

    def integer(self, low: int, high: int) -> int:
        """What ``draw(st.integers(low, high))`` draws; shrinks towards ``low``."""
        data = self._data
        if data is None:
            return int(self.draw(integers(low, high)))
        constraints = _integer_constraints(low, high)
        data.start_span(_labels()[0])
        try:
            if data.provider.avoid_realization:
                return data.draw_integer(**constraints)
            return int(data._draw("integer", constraints, observe=True, forced=None))
        finally:
            data.stop_span()

    def boolean(self) -> bool:
        """What ``draw(st.booleans())`` draws; shrinks towards ``False``."""
        data = self._data
        if data is None:
            return bool(self.draw(_BOOLEANS))
        data.start_span(_labels()[1])
        try:
            if data.provider.avoid_realization:
                return data.draw_boolean()
            return bool(data._draw("boolean", _BOOLEAN_CONSTRAINTS, observe=True, forced=None))
        finally:
            data.stop_span()
