"""``check --data``: pending migrations judged on a real database, read-only and private."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli
from migration_harness.d1 import miniflare
from migration_harness.data.sources import load, real_data, resolve
from migration_harness.errors import DataSourceError
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

EXAMPLES = Path(__file__).parent / "examples"
NOCASE = EXAMPLES / "realdata_nocase_email"
REBUILD = EXAMPLES / "realdata_rebuild_nulls"
REPO = Path(__file__).resolve().parent.parent
WRANGLER = REPO / "node_modules" / ".bin" / "wrangler"
# Values of the production copy that must never be printed.
SECRETS = (r"ana\.lima", r"shop\.example", r"\bnick\d", r"Customer \d")


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_data", NOCASE / "build_data.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _copied_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test here works on copies of the two example sets.

    ``check`` keeps its cache and Hypothesis's examples (``.migration-harness/``) beside
    the set it checks: run on ``tests/examples`` itself, the tests left those folders in
    the repository (tests/conftest.py's read-only check).
    """
    for name in ("NOCASE", "REBUILD"):
        source: Path = globals()[name]
        copy = Path(shutil.copytree(source, tmp_path / "examples" / source.name))
        monkeypatch.setitem(globals(), name, copy)


@pytest.fixture
def prod(tmp_path: Path) -> Path:
    """The example's production copy, built by its script."""
    path: Path = _builder().build(tmp_path / "prod.db")
    return path


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns


def _check(*args: str) -> tuple[int, str]:
    """Exit code and output, with the report's wrapped lines joined again."""
    result = CliRunner().invoke(cli, ["check", *args, "--no-regressions", "--profile", "dev"])
    return result.exit_code, result.output.replace(" \n", " ")


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if re.search(s, text, re.IGNORECASE)]


def test_case_duplicates_break_the_pending_unique_index_named_by_key(prod: Path) -> None:
    before = _fingerprint(prod)
    code, output = _check(str(NOCASE), "--data", str(prod))
    assert code == 1, output
    assert "does not apply to the real rows of" in output
    assert "rows it fails on: users id=7, users id=19" in output
    assert _leaks(output) == []
    assert _fingerprint(prod) == before


def test_generated_data_alone_finds_exact_duplicates() -> None:
    # Generated e-mails can repeat exactly ('' twice under the ci seed), which the
    # NOCASE index refuses too. It used to pass by luck: before generation stopped
    # drawing literals scraped from imported modules (data/provider.py), the ci seed
    # happened to draw no duplicate. The production copy's case-only duplicates are
    # what --data adds (the tests around this one).
    result = CliRunner().invoke(cli, ["check", str(NOCASE), "--no-regressions"])
    assert result.exit_code == 1, result.output
    assert "UNIQUE constraint failed: users.email" in result.output


def test_already_applied_migrations_are_not_judged(prod: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    code, _ = _check(str(REBUILD), "--data", str(prod), "--json", str(out))
    findings = json.loads(out.read_text())["findings"]
    assert code == 1
    assert {f["migration"] for f in findings} == {"0003_rebuild_orders"}


def test_loss_on_real_rows_names_keys_and_columns_without_values(
    prod: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.json"
    code, output = _check(str(REBUILD), "--data", str(prod), "--json", str(out))
    assert code == 1
    assert "(on the real rows of" in output
    assert "orders: row id=4 is lost" in output
    assert "orders: row id=1: total changed\n" in output
    assert "changed from" not in output
    text = out.read_text()
    assert _leaks(text) == []
    assert '"sha256"' in text


def test_show_values_prints_them(prod: Path) -> None:
    code, output = _check(str(REBUILD), "--data", str(prod), "--show-values")
    assert code == 1
    assert "total changed from 100 to 99" in output


def test_regression_from_real_data_keeps_keys_and_digest_and_needs_the_source(
    prod: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "set"
    shutil.copytree(NOCASE, copy)
    result = CliRunner().invoke(cli, ["check", str(copy), "--data", str(prod), "--profile", "dev"])
    assert result.exit_code == 1
    (written,) = (copy / "regressions").glob("*.json")
    data = json.loads(written.read_text())
    assert data["real"]["sha256"] == hashlib.sha256(prod.read_bytes()).hexdigest()
    assert data["real"]["rows"] == ["users id=7", "users id=19"]
    assert "the same --data source" in data["needs"]
    assert _leaks(written.read_text()) == []
    replay = CliRunner().invoke(cli, ["replay", str(written)])
    assert replay.exit_code == 2
    assert "found on real data" in replay.output


def test_schema_drift_is_one_line_and_exit_2(prod: Path) -> None:
    with sqlite3.connect(prod) as conn:
        conn.execute("ALTER TABLE users ADD COLUMN phone TEXT")
    conn.close()
    before = _fingerprint(prod)
    code, output = _check(str(NOCASE), "--data", str(prod))
    assert code == 2
    assert output.count("\n") == 1
    assert "not the set's at 0002_orders" in output
    assert "phone" in output
    assert "--allow-drift" in output
    code, output = _check(str(NOCASE), "--data", str(prod), "--allow-drift")
    assert code == 1
    assert "warning: --data" in output
    assert _fingerprint(prod) == before


def test_a_database_without_tracking_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bare.db"
    sqlite3.connect(path).close()
    code, output = _check(str(NOCASE), "--data", str(path))
    assert code == 2
    assert "no tracking table" in output


def test_a_dump_restores_with_its_pragmas_and_transaction(prod: Path, tmp_path: Path) -> None:
    dump = tmp_path / "dump.sql"
    conn = sqlite3.connect(prod)
    text = "\n".join(conn.iterdump())  # BEGIN TRANSACTION; ... COMMIT;
    conn.close()
    dump.write_text("PRAGMA defer_foreign_keys=TRUE;\n" + text + "\n", encoding="utf-8")
    mset = discover(NOCASE)
    real = real_data(resolve(str(dump), NOCASE), mset, get_target("sqlite"))
    assert real.source.kind == "dump"
    assert real.position == 2
    code, output = _check(str(NOCASE), "--data", str(dump))
    assert code == 1
    assert "users id=7, users id=19" in output


def test_above_the_size_limit_the_error_names_sample(prod: Path) -> None:
    with pytest.raises(DataSourceError, match="pass --sample N"):
        load(resolve(str(prod), NOCASE), limit=1)


def _big(tmp_path: Path) -> Path:
    path = tmp_path / "big.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));"
        "CREATE TABLE items (order_id INTEGER REFERENCES orders(id), n INTEGER,"
        " PRIMARY KEY (order_id, n)) WITHOUT ROWID;"
    )
    conn.executemany("INSERT INTO users VALUES (?, ?)", [(i, f"u{i}") for i in range(400)])
    conn.executemany("INSERT INTO orders VALUES (?, ?)", [(i, i * 7 % 400) for i in range(2000)])
    conn.executemany("INSERT INTO items VALUES (?, ?)", [(i % 2000, i) for i in range(3000)])
    conn.commit()
    conn.close()
    return path


def test_a_sample_is_closed_under_foreign_keys_and_the_same_for_the_same_seed(
    tmp_path: Path,
) -> None:
    source = resolve(str(_big(tmp_path)), tmp_path)
    first = load(source, sample=10, seed=3)
    assert first.execute("PRAGMA foreign_key_check").fetchall() == []
    counts = [first.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("items", "orders")]
    assert counts[0] == 10
    assert 10 <= counts[1] <= 20  # its own ten, and the parents of the items
    again = load(source, sample=10, seed=3)
    other = load(source, sample=10, seed=4)
    assert first.serialize() == again.serialize()
    assert first.serialize() != other.serialize()


def _wrangler(args: list[str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = miniflare.tool_env(tmp)
    env["WRANGLER_LOG_PATH"] = str(tmp / "logs")
    return subprocess.run(
        [str(WRANGLER), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="node not found")
def test_a_wrangler_export_of_a_local_d1_loads_at_its_d1_migrations_version(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    for name in ("0001_users.sql", "0002_orders.sql"):
        shutil.copy(NOCASE / "migrations" / name, project / "migrations" / name)
    (project / "wrangler.toml").write_text(
        'name = "shop"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "shop-db"\n'
        'database_id = "11111111-1111-1111-1111-111111111111"\nmigrations_dir = "migrations"\n'
    )
    (tmp_path / "tmp").mkdir()
    state = project / ".wrangler" / "state"  # `d1 export` has no --persist-to: the default
    common = ["--local"]
    applied = _wrangler(["d1", "migrations", "apply", "DB", *common], project, tmp_path / "tmp")
    assert applied.returncode == 0, applied.stderr
    dump = project / "dump.sql"
    exported = _wrangler(
        ["d1", "export", "DB", *common, "--output", str(dump)], project, tmp_path / "tmp"
    )
    assert exported.returncode == 0, exported.stderr
    mset, target = discover(NOCASE), get_target("sqlite")
    real = real_data(resolve(str(dump), NOCASE), mset, target)
    assert (real.source.kind, real.position) == ("dump", 2)
    before = _fingerprint(dump)
    local = real_data(resolve("d1:local:DB", NOCASE, state), mset, target)
    assert (local.source.kind, local.position) == ("database", 2)
    assert _fingerprint(dump) == before


def test_rows_already_breaking_a_foreign_key_stop_the_run(prod: Path) -> None:
    with sqlite3.connect(prod) as conn:
        conn.execute("INSERT INTO orders VALUES (999, 555, 5)")  # foreign keys off: an orphan
    conn.close()
    code, output = _check(str(REBUILD), "--data", str(prod))
    assert code == 2
    assert "1 row(s) already break a foreign key (orders rowid 999" in output
    code, output = _check(str(REBUILD), "--data", str(prod), "--allow-drift")
    assert code == 1
    assert "fk_violation" not in output


def test_a_dump_can_be_sampled(prod: Path, tmp_path: Path) -> None:
    dump = tmp_path / "dump.sql"
    conn = sqlite3.connect(prod)
    dump.write_text("\n".join(conn.iterdump()) + "\n", encoding="utf-8")
    conn.close()
    sampled = load(resolve(str(dump), NOCASE), sample=1, seed=0)
    assert sampled.execute("SELECT count(*) FROM orders").fetchone() == (1,)
    assert sampled.execute("PRAGMA foreign_key_check").fetchall() == []
    # The tracking table is never sampled: it says which version the rows are at.
    assert sampled.execute("SELECT count(*) FROM d1_migrations").fetchone() == (2,)


def test_the_rollback_round_trip_compares_the_real_rows(prod: Path, tmp_path: Path) -> None:
    copy = tmp_path / "set"
    shutil.copytree(NOCASE, copy)
    (copy / "migrations" / "0003_unique_email.sql").write_text(
        "ALTER TABLE orders ADD COLUMN note TEXT;\n"
    )
    (copy / "rollbacks" / "0003_rollback.sql").write_text(
        "CREATE TABLE orders_old (id INTEGER PRIMARY KEY,"
        " user_id INTEGER NOT NULL REFERENCES users (id), total INTEGER NOT NULL);\n"
        "INSERT INTO orders_old SELECT id, user_id, total FROM orders WHERE total > 1000;\n"
        "DROP TABLE orders;\nALTER TABLE orders_old RENAME TO orders;\n"
        "CREATE INDEX IF NOT EXISTS orders_user_id ON orders (user_id);\n"
    )
    # The schema-only round trip alone (no generated rows) sees the real rows lost.
    code, output = _check(str(copy), "--data", str(prod), "--checks", "rollback")
    assert code == 1
    assert "orders: row id=1 is lost" in output
    assert _leaks(output) == []


def test_histories_start_from_the_real_rows(prod: Path) -> None:
    code, output = _check(str(REBUILD), "--data", str(prod), "--checks", "stateful")
    assert code == 1
    assert "after this history" in output
    assert "orders: row id=4 is lost" in output  # a real row: generated keys are drawn wide
    assert f"load {prod} (at 0002_orders)" in output


def test_profile_prints_hints_without_values_unless_asked(prod: Path) -> None:
    result = CliRunner().invoke(cli, ["profile", str(NOCASE), "--data", str(prod)])
    assert result.exit_code == 0, result.output
    assert "[tool.migration-harness.columns]" in result.output
    assert 'filled = ["users.nickname"]' not in result.output  # users 5, 10, ... have none
    assert '"orders.user_id"' not in result.output  # NOT NULL: nothing to learn
    assert _leaks(result.output) == []


def test_a_json_hint_in_the_config_makes_the_generator_draw_json(
    migration_set: Callable[..., Path],
) -> None:
    rebuild = (
        "CREATE TABLE t_new (id INTEGER PRIMARY KEY,"
        " tags TEXT NOT NULL CHECK (json_valid(tags)));\n"
        "INSERT INTO t_new SELECT id, tags FROM t;\nDROP TABLE t;\n"
        "ALTER TABLE t_new RENAME TO t;\n"
    )
    root = migration_set(
        {
            1: ("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, tags TEXT NOT NULL);", None),
            2: (rebuild, None),
        }
    )
    # --fail-on warning: the failure is a data-dependent change (MH104, a warning), and
    # the hint must make even that go away.
    args = ["check", str(root), "--no-regressions", "--checks", "apply_keeps_data"]
    args += ["--fail-on", "warning"]
    without = CliRunner().invoke(cli, args)
    assert without.exit_code == 1  # random text in tags: a false alarm
    (root / "pyproject.toml").write_text('[tool.migration-harness.columns]\njson = ["t.tags"]\n')
    # no cache_clear: hints take part in a table's equality, so the generator's per-table
    # plan cache never serves the hinted table the plan it drew without them
    hinted = CliRunner().invoke(cli, args)
    assert hinted.exit_code == 0, hinted.output


def test_a_copy_with_nothing_pending_judges_nothing(prod: Path) -> None:
    with sqlite3.connect(prod) as conn:
        conn.executescript((REBUILD / "migrations" / "0003_rebuild_orders.sql").read_text())
        conn.execute("INSERT INTO d1_migrations (name) VALUES ('0003_rebuild_orders.sql')")
    conn.close()
    code, output = _check(str(REBUILD), "--data", str(prod))
    assert code == 0, output
    assert "0 pending migration(s) judged" in output


def test_a_filled_hint_in_the_config_makes_the_generator_draw_no_null(
    migration_set: Callable[..., Path],
) -> None:
    """A nullable column the application always fills: NULL there is data nobody writes."""
    tighten = (
        "CREATE TABLE t_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
        "INSERT INTO t_new SELECT id, name FROM t;\nDROP TABLE t;\n"
        "ALTER TABLE t_new RENAME TO t;\n"
    )
    root = migration_set(
        {
            1: ("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, name TEXT);", None),
            2: (tighten, None),
        }
    )
    args = ["check", str(root), "--no-regressions", "--checks", "apply_keeps_data"]
    args += ["--fail-on", "warning"]  # the failure is a data-dependent change: MH104
    without = CliRunner().invoke(cli, args)
    assert without.exit_code == 1  # a NULL name makes the copy fail
    (root / "pyproject.toml").write_text('[tool.migration-harness.columns]\nfilled = ["t.name"]\n')
    hinted = CliRunner().invoke(cli, args)
    assert hinted.exit_code == 0, hinted.output


def test_a_pool_hint_in_the_config_makes_the_generator_draw_only_its_values(
    migration_set: Callable[..., Path],
) -> None:
    """An enum-like column the application writes a few values to: others are nobody's data."""
    tighten = (
        "CREATE TABLE t_new (id INTEGER PRIMARY KEY,"
        " status TEXT CHECK (status IN ('open', 'closed')));\n"
        "INSERT INTO t_new SELECT id, status FROM t;\nDROP TABLE t;\n"
        "ALTER TABLE t_new RENAME TO t;\n"
    )
    root = migration_set(
        {
            1: ("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, status TEXT);", None),
            2: (tighten, None),
        }
    )
    args = ["check", str(root), "--no-regressions", "--checks", "apply_keeps_data"]
    args += ["--fail-on", "warning"]  # the failure is a data-dependent change: MH104
    without = CliRunner().invoke(cli, args)
    assert without.exit_code == 1  # any other status makes the copy fail
    (root / "pyproject.toml").write_text(
        '[tool.migration-harness.columns]\npools = { "t.status" = ["open", "closed"] }\n'
    )
    hinted = CliRunner().invoke(cli, args)
    assert hinted.exit_code == 0, hinted.output
