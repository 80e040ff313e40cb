"""migration_harness.data.choices: choices made directly are those strategy draws make.

The row drawer's speed-up is only safe if Hypothesis cannot tell the difference: the same
choice sequence *and* the same spans, since its mutator copies spans between positions of
the same label. So a whole derandomized run (generation and mutation) must produce the
same values in the same order either way, and shrink to the same minimal example.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from migration_harness.data import choices
from migration_harness.data.choices import Chooser, Draw

RUN = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.generate,),
    suppress_health_check=list(HealthCheck),
)
# Narrow ranges, a range wide enough for st.integers' bound weights, and a boolean.
BOUNDS = ((0, 0), (0, 3), (5, 200), (-1000, 2**31))


def _pattern(choose: Any, boolean: Any) -> list[int | bool]:
    """Several rows of the choices a row makes: a count, then values and FK null flags."""
    out: list[int | bool] = []
    for _ in range(choose(0, 3)):
        out += [choose(low, high) for low, high in BOUNDS]
        out.append(boolean())
    return out


@st.composite
def _direct(draw: Draw) -> list[int | bool]:
    chooser = Chooser(draw)
    return _pattern(chooser.integer, chooser.boolean)


@st.composite
def _drawn(draw: Draw) -> list[int | bool]:
    return _pattern(lambda low, high: draw(st.integers(low, high)), lambda: draw(st.booleans()))


def _every_example(strategy: st.SearchStrategy[list[int | bool]]) -> list[list[int | bool]]:
    seen: list[list[int | bool]] = []

    @RUN
    @given(strategy)
    def record(values: list[int | bool]) -> None:
        seen.append(values)

    record()
    return seen


def test_a_derandomized_run_draws_the_same_examples_as_strategy_draws() -> None:
    direct, drawn = _every_example(_direct()), _every_example(_drawn())
    assert len(direct) > 20
    assert direct == drawn


def test_shrinking_reaches_the_same_minimal_example() -> None:
    def condition(values: list[int | bool]) -> bool:
        return sum(1 for v in values if v is True) >= 2 and any(
            isinstance(v, int) and not isinstance(v, bool) and v > 100 for v in values
        )

    shrink = settings(RUN, phases=tuple(Phase), max_examples=500)
    assert find(_direct(), condition, settings=shrink) == find(_drawn(), condition, settings=shrink)


def test_without_a_test_case_the_choices_are_plain_strategy_draws() -> None:
    calls: list[st.SearchStrategy[Any]] = []

    def draw(strategy: st.SearchStrategy[Any]) -> Any:
        calls.append(strategy)
        return 1

    chooser = Chooser(draw)
    assert (chooser.integer(0, 9), chooser.boolean()) == (1, True)
    assert len(calls) == 2


def test_the_installed_hypothesis_takes_the_direct_path() -> None:
    # Otherwise the equality tests above compare strategy draws with themselves.
    assert choices._DIRECT
    seen: list[bool] = []

    @st.composite
    def probe(draw: Draw) -> int:
        seen.append(Chooser(draw)._data is not None)
        return 0

    find(probe(), lambda _: True, settings=RUN)
    assert seen
    assert all(seen)


def test_a_hypothesis_without_the_internals_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(choices, "_DIRECT", False)
    direct = _every_example(_direct())
    monkeypatch.undo()
    assert direct == _every_example(_drawn())


def test_direct_choices_skip_draw_integer_and_draw_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each choice goes to ``_draw`` with a constraints dict built once per bounds.

    ``draw_integer`` re-validated the weights and looked the dict up in Hypothesis's pool
    on every call (a quarter of a choice's cost); the examples stay those of strategy
    draws (the equality tests above run on this path).
    """
    from hypothesis.internal.conjecture.data import ConjectureData

    def refusing(name: str) -> Any:
        original = getattr(ConjectureData, name)

        def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
            # Hypothesis calls them itself (its data tree, the weighted sampler): only
            # calls from the Chooser are refused.
            caller = sys._getframe(1).f_code.co_filename
            if caller == choices.__file__:
                message = f"{name} called by the Chooser"
                raise AssertionError(message)
            return original(self, *args, **kwargs)

        return refuse

    expected = _every_example(_direct())
    monkeypatch.setattr(ConjectureData, "draw_integer", refusing("draw_integer"))
    monkeypatch.setattr(ConjectureData, "draw_boolean", refusing("draw_boolean"))
    assert _every_example(_direct()) == expected
    assert choices._integer_constraints(0, 3) is choices._integer_constraints(0, 3)
