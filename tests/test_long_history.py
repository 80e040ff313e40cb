"""A 200-migration golang-migrate history with planted defects: every one is reported.

Real histories are long; a harness that finds a defect in a 3-file fixture and loses it in
a 200-file history (or takes an hour) is no use in CI. The history is generated: clean
steps of the kinds real histories hold (new tables with foreign keys and indexes, added
columns, guarded seeds), with one defect of a different kind planted at known versions.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import settings

from harness.checks import check_set
from harness.discovery import discover
from harness.profiles import register_profiles
from harness.targets import TARGETS

SIZE = 200
# version -> (kind, check that must report it)
PLANTED = {
    40: "rollback_schema_drift",  # the rollback leaves an index behind
    80: "data_loss",  # a rebuild whose DROP TABLE cascades into the child table
    120: "not_idempotent",  # an unguarded seed
    160: "missing_fk_index",  # a foreign key nobody indexed (reported at the last version)
    190: "missing_rollback",  # an empty down file
}


def _step(i: int) -> tuple[str, str]:
    """Migration i: table t<i> with a foreign key to t<i-1>, an index, a column, a seed."""
    t, parent = f"t{i:04d}", f"t{i - 1:04d}"
    fk = f",\n    parent_id INTEGER REFERENCES {parent}(id) ON DELETE CASCADE" if i > 1 else ""
    up = [
        f"CREATE TABLE IF NOT EXISTS {t}(\n    id INTEGER PRIMARY KEY,\n"
        f"    code TEXT NOT NULL UNIQUE,\n    amount INTEGER NOT NULL DEFAULT 0 "
        f"CHECK (amount >= 0){fk}\n);",
        f"INSERT OR IGNORE INTO {t}(id, code) VALUES (1, 'seed-{i}');",
    ]
    down = [f"DROP TABLE IF EXISTS {t};"]
    if i > 1 and i != 160:
        up.insert(1, f"CREATE INDEX IF NOT EXISTS idx_{t}_parent ON {t}(parent_id);")
    if i == 40:
        up.append(f"CREATE INDEX IF NOT EXISTS idx_{t}_amount ON {t}(amount);")
    elif i == 80:
        # Rebuilds t0078 to add a column, with foreign keys on: its DROP TABLE cascades
        # into the rows of its child t0079.
        old = f"t{i - 2:04d}"
        up += [
            f"CREATE TABLE {old}_new(\n    id INTEGER PRIMARY KEY,\n"
            f"    code TEXT NOT NULL UNIQUE,\n"
            f"    amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),\n"
            f"    parent_id INTEGER REFERENCES t{i - 3:04d}(id) ON DELETE CASCADE,\n"
            f"    note TEXT\n);",
            f"INSERT INTO {old}_new(id, code, amount, parent_id) "
            f"SELECT id, code, amount, parent_id FROM {old};",
            f"DROP TABLE {old};",
            f"ALTER TABLE {old}_new RENAME TO {old};",
            f"CREATE INDEX IF NOT EXISTS idx_{old}_parent ON {old}(parent_id);",
        ]
        down.append(f"ALTER TABLE {old} DROP COLUMN note;")
    elif i == 120:
        up.append(f"INSERT INTO {t}(code) VALUES ('extra-' || (SELECT count(*) FROM {t}));")
    if i == 40:
        down = [f"DROP TABLE IF EXISTS {t};"]  # forgets nothing: the index goes with t
        up[-1] = f"CREATE INDEX IF NOT EXISTS idx_{parent}_amount ON {parent}(amount);"
    return "\n".join(up) + "\n", ("" if i == 190 else "\n".join(down) + "\n")


def write_history(root: Path) -> Path:
    root.mkdir(parents=True)
    for i in range(1, SIZE + 1):
        up, down = _step(i)
        (root / f"{i:06d}_step_{i}.up.sql").write_text(up)
        (root / f"{i:06d}_step_{i}.down.sql").write_text(down)
    return root


@pytest.fixture(scope="module")
def long_run(tmp_path_factory: pytest.TempPathFactory) -> object:
    register_profiles()
    settings.register_profile("long-history", settings.get_profile("ci"), max_examples=3)
    root = write_history(tmp_path_factory.mktemp("long") / "migrations")
    # golang-migrate with `_foreign_keys=1` in the DSN, as many applications run it.
    target = dataclasses.replace(TARGETS["golang-migrate"], foreign_keys=True)
    return check_set(discover(root), target, profile="long-history", seed=0)


def test_every_planted_defect_of_a_200_migration_history_is_reported(long_run: object) -> None:
    findings = long_run.findings  # type: ignore[attr-defined]
    found = {(f.kind, f.migration) for f in findings}
    last = f"{SIZE:06d}_step_{SIZE}"
    for version, kind in PLANTED.items():
        label = last if kind == "missing_fk_index" else f"{version:06d}_step_{version}"
        assert (kind, label) in found, (version, kind, found)
    (fk_index,) = [f for f in findings if f.kind == "missing_fk_index"]
    assert "t0160(parent_id) -> t0159(id)" in fk_index.message
    labels = {f"{v:06d}_step_{v}" for v in PLANTED} | {last}
    assert {(k, m) for k, m in found if m not in labels} == set()
