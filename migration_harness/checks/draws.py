"""One fixed-seed search through a strategy's draws, for probes outside the properties.

Some checks ask a side question of generated data (does any draw complete a duplicate pair,
does the trigger let any row through) that must not depend on the run's seed or leave
anything in the example database: a plain generate-only ``find`` with a fixed random
source, every health check off and no deadline. The probes use it alike.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from hypothesis import HealthCheck, Phase, find
from hypothesis import settings as Settings
from hypothesis.errors import NoSuchExample, Unsatisfiable
from hypothesis.strategies import SearchStrategy

T = TypeVar("T")


def first_draw(
    strategy: SearchStrategy[T], condition: Callable[[T], bool], tries: int, seed: int
) -> T | None:
    """The first of at most ``tries`` draws (random source ``seed``) meeting ``condition``."""
    try:
        return find(
            strategy,
            condition,
            settings=Settings(
                max_examples=tries,
                phases=(Phase.generate,),
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
            random=random.Random(seed),
        )
    except (NoSuchExample, Unsatisfiable):
        return None
