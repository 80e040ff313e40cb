"""Root conftest: the Hypothesis settings profiles every run of the suite uses.

``ci`` is derandomised so CI is reproducible; ``dev`` is fast for the edit-test loop;
``thorough`` is for nightly runs. CI=true selects ``ci``; ``--hypothesis-profile`` overrides.
"""

from __future__ import annotations

from migration_harness.checks.profiles import register_profiles

register_profiles()
