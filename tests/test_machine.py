"""The stateful machine: clean on db/, finds history defects for nearly every seed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from migration_harness.checks import history as history_module
from migration_harness.checks import scope
from migration_harness.checks.engine import Engine
from migration_harness.checks.machine import History, Step, replay, run_machine
from migration_harness.checks.profiles import profile_seed, profile_settings
from migration_harness.checks.properties import CHECKS
from migration_harness.checks.run import check_set
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
DB = Path(__file__).resolve().parent.parent / "db"
SEEDS = range(10)
# (set, target, expected kind, expected migration)
DEFECTS = [
    ("history_seed_rerun", "sqlite", "not_idempotent", "0002_roles"),
    ("history_on_delete", "sqlite", "rollback_schema_drift", "0002_posts_title"),
    ("history_rebuild_cascade", "sqlite", "data_loss", "0003_users_nick"),
    ("history_rename_then_reseed", "sqlite", "not_idempotent", "0002_roles"),
    ("history_rebuild_resets_autoincrement", "sqlite", "data_loss", "0002_invoice_notes"),
]
# Defects that only a history shows: every per-migration check passes on these sets.
HISTORY_ONLY = ["history_rename_then_reseed", "history_rebuild_resets_autoincrement"]


def _engine(path: Path, target: str, seed: int | None) -> Engine:
    # No example database: a seed loop must find the defect on its own, not because an
    # earlier run saved the failing history (a fresh CI clone has none).
    return Engine(
        discover(path),
        TARGETS[target],
        settings=settings(profile_settings("ci"), database=None),
        seed=profile_seed("ci", seed),
    )


@pytest.mark.parametrize("target", ["sqlite", "d1"])
def test_umbrella_histories_are_clean(target: str) -> None:
    assert run_machine(_engine(DB, target, None)) == []


@pytest.mark.parametrize(("name", "target", "kind", "migration"), DEFECTS)
def test_machine_finds_history_defect_for_nine_of_ten_seeds(
    name: str, target: str, kind: str, migration: str
) -> None:
    found: list[list[Finding]] = []
    for seed in SEEDS:
        findings = run_machine(_engine(EXAMPLES / name, target, seed))
        if any(f.kind == kind and f.migration == migration for f in findings):
            found.append(findings)
    assert len(found) >= 9
    for findings in found:
        assert len(findings[0].example["history"]) <= 6


@pytest.mark.parametrize(("name", "target", "kind", "migration"), DEFECTS)
def test_shrunk_history_replays_to_the_same_finding(
    name: str, target: str, kind: str, migration: str
) -> None:
    engine = _engine(EXAMPLES / name, target, None)
    findings = run_machine(engine)
    assert findings, "the machine found nothing under the seeded ci profile"
    steps = [Step.from_json(s) for s in findings[0].example["history"]]
    replayed = replay(engine, steps)
    assert [(f.kind, f.migration) for f in replayed] == [(kind, migration)]


@pytest.mark.parametrize("name", HISTORY_ONLY)
def test_history_only_defects_escape_the_per_migration_checks(name: str) -> None:
    mset = discover(EXAMPLES / name)
    per_migration = [c for c in CHECKS if c != "stateful"]
    for seed in SEEDS:
        run = check_set(mset, TARGETS["sqlite"], checks=per_migration, seed=seed)
        assert run.findings == [], f"seed {seed}: {[f.kind for f in run.findings]}"
    assert check_set(mset, TARGETS["sqlite"], checks=["stateful"]).findings


def test_data_loss_history_names_the_lost_rows() -> None:
    findings = run_machine(_engine(EXAMPLES / "history_rebuild_cascade", "sqlite", None))
    loss = next(f for f in findings if f.kind == "data_loss")
    assert loss.direction == "rollback"
    assert any(d.startswith("notes: row id=") and d.endswith("is lost") for d in loss.details)


def test_step_round_trips_through_json() -> None:
    step = Step("update", table="users", where={"id": 3}, values={"email": "a@b.c"})
    assert Step.from_json(step.to_json()) == step
    assert step.describe() == "update users where id=3 set email='a@b.c'"


REGRESSIONS = sorted(EXAMPLES.glob("*/regressions/*.json"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_every_committed_regression_still_reproduces_its_finding(path: Path) -> None:
    data = json.loads(path.read_text())
    engine = _engine(path.parent.parent, data["target"], None)
    findings = replay(engine, [Step.from_json(s) for s in data["history"]])
    expected = data["finding"]
    assert [(f.kind, f.migration) for f in findings] == [(expected["kind"], expected["migration"])]


def test_history_follows_renames_into_a_lossy_rollback(
    migration_set: Callable[..., Path],
) -> None:
    """Rows of a renamed table are compared under the new name, not counted as dropped."""
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
                "DROP TABLE IF EXISTS users;",
            ),
            2: (
                "ALTER TABLE users RENAME TO accounts;",
                "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
                "INSERT INTO users SELECT id, email FROM accounts WHERE id % 2 = 0;\n"
                "DROP TABLE accounts;",
            ),
        }
    )
    engine = _engine(root, "sqlite", None)
    findings = run_machine(engine)
    assert [(f.kind, f.direction, f.check) for f in findings] == [
        ("data_loss", "rollback", "stateful")
    ]
    assert any(d.startswith("accounts: row id=") for d in findings[0].details)


def test_rerun_after_the_application_deleted_a_seed_row_is_no_defect(
    migration_set: Callable[..., Path],
) -> None:
    """The app's delete happened after file 1 ran: the re-run putting the seed back is fine,
    even when a rollback of a later migration came in between."""
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, code TEXT);\n"
                "INSERT OR IGNORE INTO t(id, code) VALUES (1, 'seed');",
                "DROP TABLE IF EXISTS t;",
            ),
            2: ("CREATE TABLE IF NOT EXISTS u(id INTEGER PRIMARY KEY);", "DROP TABLE u;"),
        }
    )
    engine = _engine(root, "sqlite", None)
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step("apply", "0002_m0002.sql"),
        Step("delete", table="t", where={"id": 1}),
        Step("rollback", "0002_m0002.sql"),
        Step("rerun", "0001_m0001.sql"),
    ]
    assert replay(engine, steps) == []
    # Without the application's delete, the same re-run is checked (and clean).
    assert replay(engine, [s for s in steps if s.op != "delete"]) == []


def test_application_deletes_cascade_as_declared_under_a_keys_off_runner(
    migration_set: Callable[..., Path],
) -> None:
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY);\n"
                "CREATE TABLE IF NOT EXISTS posts(id INTEGER PRIMARY KEY, user_id INTEGER\n"
                "    REFERENCES users(id) ON DELETE CASCADE);\n"
                "CREATE INDEX IF NOT EXISTS idx_posts_user ON posts(user_id);",
                "DROP TABLE IF EXISTS posts; DROP TABLE IF EXISTS users;",
            ),
        }
    )
    engine = _engine(root, "dbmate", None)
    assert engine.target.foreign_keys is False
    history = History(engine)
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step(
            "insert",
            rows=(
                {"table": "users", "values": {"id": 1}},
                {"table": "posts", "values": {"id": 7, "user_id": 1}},
            ),
        ),
        Step("delete", table="users", where={"id": 1}),
    ]
    try:
        assert [history.run(s) for s in steps] == [[], [], []]
        assert history.conn.execute("SELECT count(*) FROM posts").fetchone() == (0,)
        # The migration connection is left as the runner has it.
        assert history.conn.execute("PRAGMA foreign_keys").fetchone() == (0,)
    finally:
        history.close()


def test_integrity_check_runs_after_version_moves_not_after_application_writes(
    migration_set: Callable[..., Path],
) -> None:
    """Rows the application writes are held to the schema as written (issue 17).

    ``PRAGMA integrity_check`` read the whole database after every step of the history;
    after an insert, update or delete it can find nothing new, so it runs after the
    version moves only; the foreign keys are read once after a write (its orphans), not a
    second time to find violations that could only be those orphans.
    """
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY,\n"
                "    n INTEGER CHECK (n > 0));",
                "DROP TABLE IF EXISTS users;",
            ),
        }
    )
    history = History(_engine(root, "sqlite", None))
    statements: list[str] = []
    history.conn.set_trace_callback(statements.append)
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step("insert", rows=({"table": "users", "values": {"id": 1, "n": 5}},)),
        Step("update", table="users", values={"n": 6}, where={"id": 1}),
        Step("delete", table="users", where={"id": 1}),
    ]
    try:
        found = []
        for step in steps:
            statements.clear()
            findings = history.run(step)
            history.conn.set_trace_callback(statements.append)  # a re-run probe swaps it
            checks = sum("integrity_check" in s for s in statements)
            keys = sum("foreign_key_check" in s for s in statements)
            found.append((findings, checks, keys))
        assert [f for f, _, _ in found] == [[], [], [], []]
        assert found[0][1] >= 1
        assert [n for _, n, _ in found[1:]] == [0, 0, 0]
        # A write's orphans are read once, after it: a second read could only agree.
        assert [n for _, _, n in found[1:]] == [1, 1, 1]
    finally:
        history.close()


def test_a_history_reads_the_whole_databases_foreign_keys_once_per_version_move(
    migration_set: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The orphans a step read are the next move's and the re-run probe's (issue 17).

    Nothing writes between steps, and the probe's copy is the live database: reading
    them again (before every move, and on the copy) could only agree. The first move
    reads them before it; every move (and every re-run) reads them after it, to find
    what it broke.
    """
    whole: list[str] = []
    real_orphans, real_violations = scope.fk_orphans, scope.fk_violations

    def orphans(conn: sqlite3.Connection, tables: object = None) -> object:
        whole.extend(["orphans"] if tables is None else [])
        return real_orphans(conn, tables)  # type: ignore[arg-type]

    def violations(conn: sqlite3.Connection, tables: object = None) -> object:
        whole.extend(["violations"] if tables is None else [])
        return real_violations(conn, tables)  # type: ignore[arg-type]

    monkeypatch.setattr("migration_harness.checks.history.fk_orphans", orphans)
    monkeypatch.setattr("migration_harness.checks.history.fk_violations", violations)
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY);",
                "DROP TABLE IF EXISTS users;",
            ),
            2: (
                "CREATE TABLE IF NOT EXISTS posts(id INTEGER PRIMARY KEY,\n"
                "    user_id INTEGER REFERENCES users(id));",
                "DROP TABLE IF EXISTS posts;",
            ),
        }
    )
    history = History(_engine(root, "sqlite", None))
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step("apply", "0002_m0002.sql"),
        Step("rollback", "0002_m0002.sql"),
        Step("rerun", "0001_m0001.sql"),
    ]
    try:
        reads = []
        for step in steps:
            whole.clear()
            assert history.run(step) == []
            reads.append(list(whole))
    finally:
        history.close()
    # The re-run probe after each apply and rollback reads its copy once, after the re-run.
    # Reading them again before each move and on the copy before its re-run made these
    # [4, 4, 4, 2] reads.
    after = ["violations"]
    assert reads == [["orphans", *after, *after], after * 2, after * 2, after]


def test_the_rerun_probe_and_the_next_move_reuse_the_last_moves_reading(
    migration_set: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows a move read after it are the probe copy's and the next move's (issue 17).

    Nothing writes between a move and the next step, and the probe's copy is the live
    database: reading every table again (before each move, and on the copy before its
    re-run) could only agree. Each move now reads the rows after it, and the probe after
    its re-run.
    """
    real = history_module.read_all
    reads: list[str] = []

    def counted(conn: sqlite3.Connection, schema: object, tables: object = None) -> object:
        reads.append("read")
        return real(conn, schema, tables)  # type: ignore[arg-type]

    monkeypatch.setattr(history_module, "read_all", counted)
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY);",
                "DROP TABLE IF EXISTS users;",
            ),
            2: (
                "CREATE TABLE IF NOT EXISTS posts(id INTEGER PRIMARY KEY);",
                "DROP TABLE IF EXISTS posts;",
            ),
        }
    )
    history = History(_engine(root, "sqlite", None))
    steps = [Step("apply", "0001_m0001.sql"), Step("apply", "0002_m0002.sql")]
    try:
        counts = []
        for step in steps:
            reads.clear()
            assert history.run(step) == []
            counts.append(len(reads))
    finally:
        history.close()
    # The first move reads the empty database before it; reading again made these [4, 4].
    assert counts == [3, 2]


def test_a_move_after_an_application_write_reads_the_rows_it_wrote(
    migration_set: Callable[..., Path],
) -> None:
    """The reading a move keeps is dropped by the next write: its rows are compared.

    Defective twin of the test above: had the rollback started from the reading its
    apply kept (no users yet), the rows it drops would be lost unseen.
    """
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, email TEXT);",
                "DROP TABLE IF EXISTS users;",
            ),
            2: (
                "ALTER TABLE users ADD COLUMN nick TEXT;",
                "CREATE TABLE users_new(id INTEGER PRIMARY KEY, email TEXT);\n"
                "INSERT INTO users_new SELECT id, email FROM users WHERE id % 2 = 0;\n"
                "DROP TABLE users;\n"
                "ALTER TABLE users_new RENAME TO users;",
            ),
        }
    )
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step("apply", "0002_m0002.sql"),
        Step(
            "insert",
            rows=(
                {"table": "users", "values": {"id": 1, "email": "a@x"}},
                {"table": "users", "values": {"id": 2, "email": "b@x"}},
            ),
        ),
        Step("rollback", "0002_m0002.sql"),
    ]
    findings = replay(_engine(root, "sqlite", None), steps)
    assert [(f.kind, f.direction) for f in findings] == [("data_loss", "rollback")]
    assert any(d.startswith("users: row id=1") for d in findings[0].details)
