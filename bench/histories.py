"""A generated golang-migrate history: the long, real-world kind of migration set.

Real histories are long. Step i adds table t<i> with a foreign key to t<i-1> (ON DELETE
CASCADE), an index on it and a guarded seed; its down file drops the table. With
``planted=True`` five versions carry a defect of a different kind each (``PLANTED``):
``tests/test_long_history.py`` checks that every one is reported in a 200-step history;
``bench/run.py`` times the clean variant at several lengths (finding and shrinking a
defect costs per defect, not per migration, so clean histories compare fairly).
"""

from __future__ import annotations

from pathlib import Path

# version -> the finding kind the planted defect must produce
PLANTED = {
    40: "rollback_schema_drift",  # the rollback leaves an index behind
    80: "data_loss",  # a rebuild whose DROP TABLE cascades into the child table
    120: "not_idempotent",  # an unguarded seed
    160: "missing_fk_index",  # a foreign key nobody indexed (named at this version)
    190: "missing_rollback",  # an empty down file
}


def step(i: int, *, planted: bool = True) -> tuple[str, str]:
    """Migration i as (up, down) SQL; ``planted``: versions in PLANTED carry their defect."""
    t, parent = f"t{i:04d}", f"t{i - 1:04d}"
    defect = i if planted and i in PLANTED else None
    fk = f",\n    parent_id INTEGER REFERENCES {parent}(id) ON DELETE CASCADE" if i > 1 else ""
    up = [
        f"CREATE TABLE IF NOT EXISTS {t}(\n    id INTEGER PRIMARY KEY,\n"
        f"    code TEXT NOT NULL UNIQUE,\n    amount INTEGER NOT NULL DEFAULT 0 "
        f"CHECK (amount >= 0){fk}\n);",
        f"INSERT OR IGNORE INTO {t}(id, code) VALUES (1, 'seed-{i}');",
    ]
    down = [f"DROP TABLE IF EXISTS {t};"]
    if i > 1 and defect != 160:
        up.insert(1, f"CREATE INDEX IF NOT EXISTS idx_{t}_parent ON {t}(parent_id);")
    if defect == 40:
        # The up file indexes the parent; the down file forgets that index.
        up.append(f"CREATE INDEX IF NOT EXISTS idx_{parent}_amount ON {parent}(amount);")
    elif defect == 80:
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
    elif defect == 120:
        up.append(f"INSERT INTO {t}(code) VALUES ('extra-' || (SELECT count(*) FROM {t}));")
    return "\n".join(up) + "\n", ("" if defect == 190 else "\n".join(down) + "\n")


def write_history(root: Path, size: int, *, planted: bool = True) -> Path:
    """Write ``size`` steps as golang-migrate files (``NNNNNN_step_N.up.sql``/``.down.sql``)."""
    root.mkdir(parents=True)
    for i in range(1, size + 1):
        up, down = step(i, planted=planted)
        (root / f"{i:06d}_step_{i}.up.sql").write_text(up, encoding="utf-8")
        (root / f"{i:06d}_step_{i}.down.sql").write_text(down, encoding="utf-8")
    return root
