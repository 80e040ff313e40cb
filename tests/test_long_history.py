"""A 200-migration golang-migrate history with planted defects: every one is reported.

Real histories are long; a harness that finds a defect in a 3-file fixture and loses it in
a 200-file history (or takes an hour) is no use in CI. The history is generated: clean
steps of the kinds real histories hold (new tables with foreign keys and indexes, added
columns, guarded seeds), with one defect of a different kind planted at known versions.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import settings

from bench.histories import PLANTED, write_history
from migration_harness.checks.profiles import profile_settings, register_profiles
from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

SIZE = 200


@pytest.fixture(scope="module")
def long_run(tmp_path_factory: pytest.TempPathFactory) -> object:
    register_profiles()
    settings.register_profile("long-history", profile_settings("ci"), max_examples=3)
    root = write_history(tmp_path_factory.mktemp("long") / "migrations", SIZE)
    # golang-migrate with `_foreign_keys=1` in the DSN, as many applications run it.
    target = dataclasses.replace(TARGETS["golang-migrate"], foreign_keys=True)
    return check_set(discover(root), target, profile="long-history", seed=0)


def test_every_planted_defect_of_a_200_migration_history_is_reported(long_run: object) -> None:
    findings = long_run.findings  # type: ignore[attr-defined]
    found = {(f.kind, f.migration) for f in findings}
    last = f"{SIZE:06d}_step_{SIZE}"
    for version, kind in PLANTED.items():
        # missing_fk_index too: named at the migration that made the key, not the last one
        label = f"{version:06d}_step_{version}"
        assert (kind, label) in found, (version, kind, found)
    (fk_index,) = [f for f in findings if f.kind == "missing_fk_index"]
    assert "t0160(parent_id) -> t0159(id)" in fk_index.message
    labels = {f"{v:06d}_step_{v}" for v in PLANTED} | {last}
    assert {(k, m) for k, m in found if m not in labels} == set()
