"""``data`` in the plugin: the pending migrations' items judged on a real database.

The set and its production-like copy are built here (three migrations, two applied in
production; the pending one adds a case-insensitive UNIQUE index that two real e-mails
differing only in case break, which generated e-mails never do: it is an expression index,
``lower(email)``, and pairs are seeded only for keys on plain columns, ``COLLATE NOCASE``
included, see checks/duplicates.py).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import warnings
from pathlib import Path

import pytest

# Loaded before any in-process run: pytester drops the modules a run imported, and a
# second run mixing fresh copies with kept ones compares targets of two classes.
import migration_harness.checks.real
import migration_harness.data.sources.configured
import migration_harness.plugin.collect  # noqa: F401

pytest_plugins = ["pytester"]

MIGRATIONS = {
    "0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n",
    "0002_nickname.sql": "ALTER TABLE users ADD COLUMN nickname TEXT;\n",
    "0003_unique_email.sql": ("CREATE UNIQUE INDEX users_email_nocase ON users (lower(email));\n"),
}
APPLIED = ("0001_users.sql", "0002_nickname.sql")
TABLE = '[tool.migration-harness]\nmigrations = "db"\nprofile = "dev"\n'
CHECKS = 'checks = ["apply", "apply_keeps_data"]\n'
# Values of the production copy that must never be printed.
SECRETS = ("ana.lima", "shop.example", "nick3", "nick8")


def _project(pytester: pytest.Pytester, extra: str = "") -> None:
    folder = pytester.path / "db" / "migrations"
    folder.mkdir(parents=True)
    for name, sql in MIGRATIONS.items():
        (folder / name).write_text(sql)
    (pytester.path / "pyproject.toml").write_text(TABLE + CHECKS + extra)


def _production(path: Path, *, duplicates: bool = True, drift: bool = False) -> Path:
    """What wrangler leaves after applying 0001 and 0002: tracking rows and customers."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, "
        "applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)"
    )
    for name in APPLIED:
        conn.executescript(MIGRATIONS[name])
        conn.execute("INSERT INTO d1_migrations (name) VALUES (?)", (name,))
    if drift:
        conn.execute("ALTER TABLE users ADD COLUMN added_by_hand TEXT")
    for i in range(1, 11):
        email = f"customer{i}@shop.example"
        if duplicates and i in (3, 8):
            email = "Ana.Lima@shop.example" if i == 3 else "ana.lima@shop.example"
        conn.execute(
            "INSERT INTO users (id, email, nickname) VALUES (?, ?, ?)", (i, email, f"nick{i}")
        )
    conn.commit()
    conn.close()
    return path


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text.lower()]


def test_the_pending_migration_fails_on_the_real_rows_named_by_key(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    _project(pytester, 'data = "prod.db"\n')
    prod = _production(pytester.path / "prod.db")
    before = _fingerprint(prod)
    result = pytester.runpytest("-rfs")
    result.assert_outcomes(failed=1, skipped=5)
    text = result.stdout.str()
    assert "FAILED pyproject.toml::db::0003_unique_email::apply" in text
    assert "does not apply to the real rows of" in text
    assert "rows it fails on: users id=3, users id=8" in text
    assert _leaks(text) == []
    # The two applied migrations' items, each check: they already ran on these rows.
    result.stdout.fnmatch_lines(
        [
            "SKIPPED [[]2] db/migrations/0001_users.sql: applied in the real data at 0002_nickname",
            "SKIPPED [[]2] db/migrations/0002_nickname.sql: applied in the real data at 0002_*",
        ]
    )
    assert "--data prod.db" in text  # the replay line judges the same rows
    result.stdout.fnmatch_lines(
        ["migration-harness: pending migrations judged on the real rows of prod.db (values hidden*"]
    )
    assert _fingerprint(prod) == before


def test_without_data_the_same_items_pass(pytester: pytest.Pytester, no_ci: None) -> None:
    _project(pytester)
    _production(pytester.path / "prod.db")
    # Seeded: the generator may vary an e-mail by case too, but not on this seed.
    pytester.runpytest("--hypothesis-seed=0").assert_outcomes(passed=6)


def test_rows_that_break_nothing_pass_and_applied_items_still_skip(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    _project(pytester, 'data = "prod.db"\n')
    _production(pytester.path / "prod.db", duplicates=False)
    pytester.runpytest("--hypothesis-seed=0").assert_outcomes(passed=2, skipped=4)


def test_the_option_beats_the_ini_key_which_beats_the_table(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    _project(pytester, 'data = "clean.db"\n')
    _production(pytester.path / "clean.db", duplicates=False)
    _production(pytester.path / "prod.db")
    pytester.runpytest("--hypothesis-seed=0").assert_outcomes(passed=2, skipped=4)
    ini = '[tool.pytest.ini_options]\nmigrations_data = "prod.db"\n'
    (pytester.path / "pyproject.toml").write_text(TABLE + CHECKS + 'data = "clean.db"\n' + ini)
    pytester.runpytest().assert_outcomes(failed=1, skipped=5)
    option = pytester.runpytest("--migration-data", "clean.db", "--hypothesis-seed=0")
    option.assert_outcomes(passed=2, skipped=4)


def test_a_sample_is_judged_and_replayed_with_the_same_option(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    _project(pytester, 'data = "prod.db"\n')
    _production(pytester.path / "prod.db")
    result = pytester.runpytest("--migration-data-sample", "50")
    result.assert_outcomes(failed=1, skipped=5)
    assert "--data prod.db --sample 50" in result.stdout.str()


def test_a_drifted_copy_is_one_collection_error(pytester: pytest.Pytester, no_ci: None) -> None:
    _project(pytester, 'data = "prod.db"\n')
    prod = _production(pytester.path / "prod.db", drift=True)
    before = _fingerprint(prod)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            "migration-harness: --data prod.db: its schema is not the set's at 0002_nickname: "
            "column users.added_by_hand is unexpected (*) "
            "[[]in pytest: --migration-allow-drift or ini migrations_allow_drift]"
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert _fingerprint(prod) == before
    with warnings.catch_warnings():  # a user's default filters, not this suite's "error"
        warnings.resetwarnings()
        allowed = pytester.runpytest("--migration-allow-drift")
    allowed.assert_outcomes(failed=1, skipped=5, warnings=1)
    allowed.stdout.fnmatch_lines(["*schema drift from 0002_nickname*"])


def test_a_missing_source_is_one_collection_error(pytester: pytest.Pytester, no_ci: None) -> None:
    _project(pytester, 'data = "missing.db"\n')
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["migration-harness: --data */missing.db: no such file *"])
    assert "Traceback" not in result.stdout.str()


def test_the_data_options_need_a_source(pytester: pytest.Pytester, no_ci: None) -> None:
    _project(pytester)
    result = pytester.runpytest("--migration-data-sample", "5")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--migration-data-sample, * need --migration-data SOURCE*"])


def test_values_stay_hidden_unless_show_values(pytester: pytest.Pytester, no_ci: None) -> None:
    _project(pytester, 'data = "prod.db"\n')
    rewrite = (  # a rebuild that truncates every nickname on the way
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, nickname TEXT);\n"
        "INSERT INTO users_new SELECT id, email, substr(nickname, 1, 3) FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n"
    )
    (pytester.path / "db" / "migrations" / "0003_unique_email.sql").write_text(rewrite)
    _production(pytester.path / "prod.db", duplicates=False)
    hidden = pytester.runpytest("--hypothesis-seed=0")
    hidden.assert_outcomes(passed=1, failed=1, skipped=4)
    text = hidden.stdout.str()
    assert "users: row id=3: nickname changed\n" in text
    assert _leaks(text) == []
    shown = pytester.runpytest("--hypothesis-seed=0", "--migration-show-values")
    shown.assert_outcomes(passed=1, failed=1, skipped=4)
    assert "nickname changed from 'nick3' to 'nic'" in shown.stdout.str()
    assert "--show-values" in shown.stdout.str()
