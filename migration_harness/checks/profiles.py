"""Hypothesis settings profiles: ``dev``, ``ci`` and ``thorough``.

One definition serves the CLI (``--profile``), the pytest plugin and this project's own
suite, so "the ci profile" means the same budget everywhere.

They are registered under names of our own (``migration-harness-ci``): Hypothesis ships a
built-in ``ci`` profile (100 examples, derandomized, no example database) and loads it by
itself when ``$CI`` is set, and a user may register a ``ci`` of their own in conftest.py.
Under the bare name either one replaced ours in the plugin, which then ran 4x the CLI's
budget and kept no example database. Users still say ``ci``; :func:`hypothesis_name` maps
it, and any other name is a profile the user registered.
"""

from __future__ import annotations

import os
from typing import Any, Final

from hypothesis import HealthCheck, Phase, settings

PROFILES: Final = ("dev", "ci", "thorough")
PREFIX: Final = "migration-harness-"
# The harness bounds an example's size itself (data.strategies.CELL_BUDGET): a wide schema's
# smallest example is large by nature, and Hypothesis's size checks only stopped the run.
_SUPPRESSED: Final = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
# Each profile's settings on top of Hypothesis's defaults (never on the loaded profile).
_DEFINITIONS: Final[dict[str, dict[str, Any]]] = {
    "dev": {"max_examples": 10, "stateful_step_count": 12},
    # Seeded (PROFILE_SEEDS), not derandomized: derandomize=True forbids an example
    # database, and the database is what makes a failure found once be tried first on
    # the next run. With a fixed seed, runs are reproducible as long as the database
    # holds no failure; keep `.migration-harness/` (check's cache, which holds the
    # CLI's example database) in the CI cache to carry failures over.
    "ci": {"max_examples": 25, "stateful_step_count": 20, "print_blob": True},
    "thorough": {
        "max_examples": 300,
        "stateful_step_count": 50,
        "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    },
}


def hypothesis_name(name: str) -> str:
    """The registered name of profile ``name``: ours for dev/ci/thorough, else unchanged."""
    return PREFIX + name if name in PROFILES else name


def register_named() -> None:
    """Register the three profiles under their own names, changing nothing else.

    The parent is Hypothesis's ``default`` profile, not the loaded one: under ``$CI``
    Hypothesis loads its own ``ci`` (derandomized, ``database=None``), and a profile
    built on it would silently inherit both.
    """
    base = settings.get_profile("default")
    for name, values in _DEFINITIONS.items():
        settings.register_profile(
            hypothesis_name(name),
            base,
            deadline=None,
            suppress_health_check=_SUPPRESSED,
            **values,
        )


def register_profiles() -> None:
    """Register the profiles and load ``ci`` under CI, else ``dev`` (this project's suite)."""
    register_named()
    settings.load_profile(hypothesis_name("ci" if os.environ.get("CI") else "dev"))


# The seed each profile runs with when the user gives none: ``ci`` must be reproducible.
PROFILE_SEEDS: Final[dict[str, int]] = {"ci": 0}


def profile_seed(name: str, seed: int | None = None) -> int | None:
    """``seed`` if given, else the profile's own seed (``None``: random, as ``dev``)."""
    return seed if seed is not None else PROFILE_SEEDS.get(name)


def profile_settings(name: str) -> settings:
    """The settings of profile ``name`` (ours for dev/ci/thorough, else a registered one)."""
    register_named()
    return settings.get_profile(hypothesis_name(name))
