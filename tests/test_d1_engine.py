"""The real local D1 engine (``--engine miniflare``) and ``check --differential``.

These run workerd through Miniflare from ``npm ci``; they are skipped only where ``node``
itself is missing (a missing ``node_modules`` fails them: ``.ci/run`` installs it).
"""

from __future__ import annotations

import glob
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.d1 import miniflare
from migration_harness.d1.mirror import engine_target
from migration_harness.errors import MigrationError
from migration_harness.sets import d1rules, runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import Target, get_target

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None, reason="node not found: install Node.js >= 20 and `npm ci`"
)
REPO = Path(__file__).resolve().parent.parent
DB = REPO / "db"
EXAMPLES = Path(__file__).parent / "examples"
WRANGLER = REPO / "node_modules" / ".bin" / "wrangler"
MigrationSetFactory = Callable[..., Path]


@pytest.fixture(scope="module", autouse=True)
def _no_leftovers() -> Iterator[None]:
    """The engine's process stops and leaves no temp folder behind.

    Only this process's folder is looked for: under pytest-xdist another worker's engine
    may be running, its own folder in /tmp. Miniflare's folders go inside ours (TMPDIR),
    so a new ``/tmp/miniflare-*`` is a leak whichever worker made it.
    """
    before = set(glob.glob("/tmp/miniflare-*"))
    yield
    own = miniflare.shared_workdir()
    miniflare.shutdown_shared()
    assert own is None or not own.exists()
    assert set(glob.glob("/tmp/miniflare-*")) - before == set()


@pytest.fixture
def d1_target() -> Target:
    return engine_target(get_target("d1"), miniflare.shared())


# The examples were committed in one go but stand for histories deployed file by file.
EVERY_VERSION = SetConfig(ship_groups="off")


def _copy_db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    shutil.copytree(DB, root, ignore=shutil.ignore_patterns("regressions", "*.md"))
    return root


def test_values_cross_the_engine_exactly(
    d1_target: Target, migration_set: MigrationSetFactory
) -> None:
    """Large integers, BLOBs, REALs, NULL and awkward text survive push, D1 and pull."""
    values = [
        (1, 2**63 - 1, b"\x00\xff\x10", 0.1, "it's\nfine \u00e9"),
        (2, -(2**63), b"", 1.4581561474988819e133, None),
        (3, 2**53 + 1, None, 3.0, ""),
    ]
    root = migration_set(
        {
            1: ("CREATE TABLE t (id INTEGER PRIMARY KEY, big INTEGER, b BLOB, r REAL, s);", None),
            2: ("CREATE INDEX IF NOT EXISTS idx_t_big ON t(big);", None),
        }
    )
    mset = discover(root)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    runner.migrate(conn, mset, d1_target, to=1)
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", values)
    runner.migrate(conn, mset, d1_target)  # pushes the rows, runs 0002 on D1, pulls back
    assert conn.execute("SELECT * FROM t ORDER BY id").fetchall() == values
    assert [r.name for r in runner.applied_rows(conn)] == [m.id for m in mset.migrations]


def test_a_failing_file_changes_nothing_and_names_the_statement(
    d1_target: Target, migration_set: MigrationSetFactory
) -> None:
    root = migration_set(
        {1: ("CREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);", None)}
    )
    migration = discover(root).migrations[0]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(MigrationError) as caught:
        runner.apply(conn, migration, d1_target)
    assert "no such table: nowhere" in caught.value.reason
    assert caught.value.path.endswith(":2")
    assert caught.value.statement == "INSERT INTO nowhere VALUES (1);"
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_d1_itself_refuses_begin(d1_target: Target, migration_set: MigrationSetFactory) -> None:
    root = migration_set({1: ("BEGIN;\nCREATE TABLE a (id INTEGER);\nCOMMIT;", None)})
    conn = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(MigrationError, match=r"state\.storage\.transaction"):
        runner.apply(conn, discover(root).migrations[0], d1_target)


def test_deferred_rebuild_leaves_the_same_orphans_as_the_emulation(d1_target: Target) -> None:
    mset = discover(EXAMPLES / "d1_deferred_orphans")
    emulated = check_set(
        mset, get_target("d1"), profile="dev", checks=["apply_keeps_data"], config=EVERY_VERSION
    )
    real = check_set(
        mset, d1_target, profile="dev", checks=["apply_keeps_data"], config=EVERY_VERSION
    )
    kinds = {(f.kind, f.migration) for f in real.findings}
    assert ("fk_violation", "0002_author_bio") in kinds
    assert kinds == {(f.kind, f.migration) for f in emulated.findings}


def test_check_db_on_miniflare_is_clean() -> None:
    """The acceptance run: the ci profile, every check, a real local D1, exit 0."""
    result = CliRunner().invoke(
        cli, ["check", str(DB), "--engine", "miniflare", "--profile", "ci", "--no-regressions"]
    )
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output


def test_planted_rebuild_cascade_is_data_loss_on_both_engines(
    tmp_path: Path, d1_target: Target
) -> None:
    root = _copy_db(tmp_path)
    (root / "migrations" / "0013_genres_rebuild.sql").write_text(
        "CREATE TABLE genres_new (\n"
        "    id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE,\n"
        "    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),\n"
        "    sort_order INTEGER NOT NULL DEFAULT 0 CHECK (sort_order >= 0),\n"
        "    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),\n"
        "    created_at TEXT NOT NULL DEFAULT (datetime('now'))\n"
        ");\n"
        "INSERT INTO genres_new SELECT * FROM genres;\n"
        "DROP TABLE genres;\n"
        "ALTER TABLE genres_new RENAME TO genres;\n"
    )
    (root / "rollbacks" / "0013_rollback.sql").write_text("SELECT 1;\n")
    mset = discover(root)
    for target in (get_target("d1"), d1_target):
        run = check_set(
            mset, target, profile="dev", checks=["apply", "apply_keeps_data"], config=EVERY_VERSION
        )
        losses = [f for f in run.findings if f.kind == "data_loss"]
        assert [f.migration for f in losses] == ["0013_genres_rebuild"], target
        assert any("artist_genres" in d for d in losses[0].details)


@pytest.mark.parametrize(
    "example",
    ["d1_wrangler_wrapped", "d1_deferred_orphans", "rebuild_cascades_child", "clean_wiki_d1"],
)
def test_differential_finds_no_divergence_on_d1_sets(example: str) -> None:
    mset = discover(EXAMPLES / example)
    target = engine_target(get_target("d1"), miniflare.shared(), differential=True)
    run = check_set(mset, target, profile="dev", config=EVERY_VERSION)
    assert [f for f in run.findings if f.kind == "engine_divergence"] == []


def test_differential_finds_no_divergence_on_db() -> None:
    target = engine_target(get_target("d1"), miniflare.shared(), differential=True)
    run = check_set(
        discover(DB),
        target,
        profile="dev",
        checks=["apply", "apply_keeps_data"],
        config=EVERY_VERSION,
    )
    assert run.findings == []


def test_differential_reports_a_wrong_emulation_rule(
    monkeypatch: pytest.MonkeyPatch, migration_set: MigrationSetFactory
) -> None:
    """An emulation that forgets wrangler strips ``BEGIN TRANSACTION;`` must be caught."""
    monkeypatch.setattr(d1rules, "wrangler_text", lambda sql: sql)
    root = migration_set(
        {
            1: ("CREATE TABLE wrong_rule (id INTEGER PRIMARY KEY);", None),
            2: (
                "BEGIN TRANSACTION;\nINSERT INTO wrong_rule VALUES (42);\nCOMMIT;\n",
                None,
            ),
        },
        layout="wrangler",
    )
    target = engine_target(get_target("d1"), miniflare.shared(), differential=True)
    run = check_set(discover(root), target, profile="dev", checks=["apply"], config=EVERY_VERSION)
    divergences = [f for f in run.findings if f.kind == "engine_divergence"]
    assert [f.migration for f in divergences] == ["0002_m0002"]
    assert "an error on one side only" in divergences[0].message
    assert divergences[0].example["d1"] == "applied"
    assert divergences[0].example["emulation"].startswith("error: To execute a transaction")
    assert divergences[0].example["state_before"].startswith("-- applied: 0001_m0001.sql")


def _wrangler(args: list[str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = miniflare.tool_env(tmp)
    env["WRANGLER_LOG_PATH"] = str(tmp / "logs")
    return subprocess.run(
        [str(WRANGLER), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def wrangler_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(DB, project / "db", ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(REPO / "wrangler.toml", project / "wrangler.toml")
    (tmp_path / "tmp").mkdir()
    return project


def test_wrangler_lists_our_migrated_database_as_applied(wrangler_project: Path) -> None:
    persist = wrangler_project / ".state"
    result = CliRunner().invoke(
        cli,
        [
            "migrate",
            str(wrangler_project / "db"),
            "--engine",
            "miniflare",
            "--persist-to",
            str(persist),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "12 migration(s) applied" in result.output
    listed = _wrangler(
        ["d1", "migrations", "list", "umbrella-db", "--local", "--persist-to", str(persist)],
        wrangler_project,
        wrangler_project.parent / "tmp",
    )
    assert listed.returncode == 0, listed.stderr
    assert "No migrations to apply" in listed.stdout


def test_status_understands_a_database_wrangler_migrated(wrangler_project: Path) -> None:
    persist = wrangler_project / ".state"
    applied = _wrangler(
        ["d1", "migrations", "apply", "umbrella-db", "--local", "--persist-to", str(persist)],
        wrangler_project,
        wrangler_project.parent / "tmp",
    )
    assert applied.returncode == 0, applied.stderr
    args = [str(wrangler_project / "db"), "--engine", "miniflare", "--persist-to", str(persist)]
    status = CliRunner().invoke(cli, ["status", *args])
    assert status.exit_code == 0, status.output
    assert "12 applied, 0 pending; version 12" in status.output
    rolled = CliRunner().invoke(cli, ["rollback", *args, "--steps", "1"])
    assert rolled.exit_code == 0, rolled.output
    assert "version 11" in rolled.output


def test_no_node_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    result = CliRunner().invoke(cli, ["check", str(DB), "--engine", "miniflare"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "`node` not found" in result.output
    assert "npm i -D wrangler@" in result.output
    assert "migration-harness d1 install" in result.output


def test_miniflare_with_target_sqlite_is_refused() -> None:
    result = CliRunner().invoke(
        cli, ["check", str(DB), "--engine", "miniflare", "--target", "sqlite"]
    )
    assert result.exit_code == 2
    assert "--engine miniflare: the local D1 runs D1's rules only" in result.output


def test_missing_persisted_database_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["status", str(DB), "--engine", "miniflare", "--persist-to", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "no local D1 database here" in result.output


def test_clock_values_written_moments_apart_are_no_divergence() -> None:
    """Both engines read the clock for CURRENT_TIMESTAMP a moment apart (it flaked).

    The states are read as the differential reads them (values as SQL literals): a
    first version of the mask compared bare text and never matched a quoted literal.
    """
    from datetime import UTC, datetime, timedelta

    from migration_harness.d1.mirror import State, _clock_masked, _row_differences

    def state(*stamps: str) -> State:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE genres (id INTEGER PRIMARY KEY, name TEXT, created_at TEXT)")
        conn.executemany(
            "INSERT INTO genres (name, created_at) VALUES (?, ?)",
            [(f"g{i}", stamp) for i, stamp in enumerate(stamps)],
        )
        return State.read(conn)

    now = datetime.now(UTC)
    one = now.strftime("%Y-%m-%d %H:%M:%S")
    two = (now + timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
    ours, theirs = state(one, one).comparable(), state(two, two).comparable()
    assert _row_differences(ours, theirs) != ()  # the clock did differ
    assert _row_differences(_clock_masked(ours), _clock_masked(theirs)) == ()
    # An old timestamp, or any other value, still has to match.
    old = state("2020-01-01 00:00:00").comparable()
    older = state("2020-01-01 00:00:01").comparable()
    assert _row_differences(_clock_masked(old), _clock_masked(older)) != ()
