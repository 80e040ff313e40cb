"""libSQL's ``ALTER TABLE … ALTER COLUMN`` (Turso), emulated as libSQL's alter.c runs it.

drizzle-kit's ``turso`` dialect writes ``ALTER TABLE t ALTER COLUMN "c" TO "c" text NOT
NULL``; plain SQLite refuses it, libSQL rewrites the column in ``sqlite_schema`` and checks
no row (openstatus 0041, 0064).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import HarnessError
from migration_harness.lint.run import lint_set
from migration_harness.report.findings import Finding
from migration_harness.sets import libsql
from migration_harness.sets.atomic import _run_statements
from migration_harness.sets.config import ConfigError, read_config
from migration_harness.sets.discovery import discover
from migration_harness.sets.layouts.drizzle_config import config_says_libsql
from migration_harness.sets.overrides import with_dialect
from migration_harness.sets.sandbox import Production
from migration_harness.sets.sql import Statement
from migration_harness.sets.targets import TARGETS, Target

CREATE = (
    "CREATE TABLE `report` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`status` text,\n"
    "\t`price` numeric(10,2)\n);\n--> statement-breakpoint\n"
    "CREATE INDEX `report_status` ON `report` (`status`);"
)
TIGHTEN = 'ALTER TABLE `report` ALTER COLUMN "status" TO "status" text NOT NULL;'
LIBSQL = with_dialect(TARGETS["drizzle"], "libsql")


def drizzle_set(tmp_path: Path, *files: str, dialect: str = "sqlite") -> Path:
    """A drizzle-kit output folder: ``meta/_journal.json`` listing ``files`` in order."""
    folder = tmp_path / "drizzle"
    (folder / "meta").mkdir(parents=True)
    entries = []
    for i, text in enumerate(files):
        tag = f"{i:04d}_step"
        (folder / f"{tag}.sql").write_text(text)
        entries.append({"idx": i, "version": "6", "when": 1700000000000 + i, "tag": tag})
    journal = {"version": "7", "dialect": dialect, "entries": entries}
    (folder / "meta" / "_journal.json").write_text(json.dumps(journal))
    return folder


def database(*statements: str) -> sqlite3.Connection:
    """An in-memory database holding the drizzle file ``CREATE``, then ``statements``."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(CREATE.replace("--> statement-breakpoint", ""))
    for sql in statements:
        conn.execute(sql)
    return conn


def table_sql(conn: sqlite3.Connection, name: str = "report") -> str:
    return str(conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0])


def run_file(conn: sqlite3.Connection, target: Target, *sql: str) -> None:
    statements = [Statement(s, i) for i, s in enumerate(sql, start=1)]
    _run_statements(conn, statements, Path("0001_step.sql"), target)


# ---------------------------------------------------------------- reading the statement


def test_the_statement_is_read_as_libsqls_grammar_reads_it() -> None:
    altered = libsql.alter_column(TIGHTEN)
    assert altered == libsql.AlterColumn(
        "report", "status", '"status"', '"status"', '"status" text NOT NULL'
    )


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE t RENAME COLUMN a TO b",
        "ALTER TABLE t ALTER COLUMN a TYPE integer",  # PostgreSQL's, never libSQL's
        "ALTER TABLE t ALTER a TO a int",  # libSQL's grammar requires COLUMN
        "ALTER TABLE t ADD COLUMN a int",
    ],
)
def test_other_statements_are_not_libsqls_alter_column(sql: str) -> None:
    assert libsql.alter_column(sql) is None


# ---------------------------------------------------------------- running it


def test_the_definition_is_rewritten_and_no_row_is_checked() -> None:
    conn = database("INSERT INTO report VALUES (1, NULL, 2)")
    run_file(conn, LIBSQL, TIGHTEN)
    assert '\t"status" text NOT NULL,\n' in table_sql(conn)
    # The row already there keeps its NULL; a new one is refused; integrity_check says so.
    assert conn.execute("SELECT status FROM report").fetchall() == [(None,)]
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL constraint failed"):
        conn.execute("INSERT INTO report VALUES (2, NULL, 1)")
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("NULL value in report.status",)]
    # The table's index is left alone (libSQL PR #1532 edits the table's row only).
    assert table_sql(conn, "report_status").startswith("CREATE INDEX")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("ALTER TABLE report ALTER COLUMN status TO state text", "UPDATE cannot also rename"),
        ("ALTER TABLE report ALTER COLUMN id TO id integer", "PRIMARY KEY constraint cannot"),
        ("ALTER TABLE report ALTER COLUMN status TO status UNIQUE", "UNIQUE constraint cannot"),
        ("ALTER TABLE report ALTER COLUMN nope TO nope int", 'no such column: "nope"'),
        ("ALTER TABLE missing ALTER COLUMN a TO a int", "no such table: missing"),
        ("ALTER TABLE v ALTER COLUMN id TO id int", 'cannot rename columns of view "v"'),
        # libSQL's span ends at the first ',' even inside numeric(10,2) (its own FIXME).
        ("ALTER TABLE report ALTER COLUMN price TO price real", 'near "2": syntax error'),
    ],
)
def test_libsqls_refusals(sql: str, message: str) -> None:
    conn = database("CREATE VIEW v AS SELECT id FROM report")
    before = table_sql(conn)
    with pytest.raises(HarnessError, match=message):
        run_file(conn, LIBSQL, sql)
    assert table_sql(conn) == before


def test_a_failing_file_rolls_the_rewrite_back() -> None:
    conn = database()
    before = table_sql(conn)
    conn.execute("BEGIN")
    with pytest.raises(HarnessError):
        run_file(conn, LIBSQL, TIGHTEN, "INSERT INTO nowhere VALUES (1)")
    conn.execute("ROLLBACK")
    assert table_sql(conn) == before
    conn.execute("INSERT INTO report VALUES (3, NULL, 1)")  # the schema in force is the old one


def test_without_the_dialect_the_failure_names_the_setting() -> None:
    conn = database()
    with pytest.raises(HarnessError, match=r'syntax error.*dialect = "libsql"'):
        run_file(conn, TARGETS["drizzle"], TIGHTEN)


def test_a_users_own_database_is_left_to_sqlite(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "prod.db", isolation_level=None, factory=Production)
    conn.execute("CREATE TABLE report (id integer PRIMARY KEY, status text)")
    with pytest.raises(HarnessError, match="harness's own copies only"):
        run_file(conn, LIBSQL, TIGHTEN)
    conn.close()


# ---------------------------------------------------------------- check on a drizzle set


def apply_findings(folder: Path, target: Target) -> list[Finding]:
    run = check_set(discover(folder), target, profile="dev", seed=0, checks=("apply",))
    return list(run.findings)


def test_check_stops_at_alter_column_on_sqlite_and_says_why(tmp_path: Path) -> None:
    folder = drizzle_set(tmp_path, CREATE, TIGHTEN)
    findings = apply_findings(folder, TARGETS["drizzle"])
    assert [f.kind for f in findings] == ["apply_error"]
    assert 'dialect = "libsql"' in findings[0].message


def test_check_runs_every_migration_on_libsql(tmp_path: Path) -> None:
    folder = drizzle_set(
        tmp_path, CREATE, TIGHTEN, "INSERT INTO report (id, status) VALUES (9, 'x')"
    )
    assert apply_findings(folder, LIBSQL) == []


def test_the_cli_takes_dialect_and_the_d1_target_refuses_it(tmp_path: Path) -> None:
    folder = drizzle_set(tmp_path, CREATE, TIGHTEN)
    ran = CliRunner().invoke(
        cli, ["check", str(folder), "--checks", "apply", "--profile", "dev", "--dialect", "libsql"]
    )
    assert ran.exit_code == 0, ran.output
    refused = CliRunner().invoke(
        cli, ["check", str(folder), "--target", "d1", "--dialect", "libsql"]
    )
    assert refused.exit_code == 2
    assert refused.output.count("\n") == 1
    assert "dialect = libsql: the d1 target runs on Cloudflare D1" in refused.output


# ---------------------------------------------------------------- where the dialect comes from


def test_a_turso_journal_makes_the_set_libsql(tmp_path: Path) -> None:
    assert discover(drizzle_set(tmp_path, CREATE, dialect="turso")).dialect == "libsql"


def test_a_sqlite_journal_alone_says_nothing(tmp_path: Path) -> None:
    assert discover(drizzle_set(tmp_path, CREATE)).dialect is None


def test_drizzle_config_next_to_the_folder_makes_the_set_libsql(tmp_path: Path) -> None:
    # openstatus: packages/db/drizzle.config.ts says turso, the journal says sqlite.
    folder = drizzle_set(tmp_path, CREATE, TIGHTEN)
    (tmp_path / "drizzle.config.ts").write_text(
        'import type { Config } from "drizzle-kit";\nexport default {\n  out: "./drizzle",\n'
        '  dbCredentials: { url: env.DATABASE_URL },\n  dialect: "turso",\n} satisfies Config;\n'
    )
    mset = discover(folder)
    assert mset.dialect == "libsql"
    ran = CliRunner().invoke(cli, ["check", str(folder), "--checks", "apply", "--profile", "dev"])
    assert ran.exit_code == 0, ran.output


@pytest.mark.parametrize(
    ("text", "libsql_config"),
    [
        ('export default { dialect: "turso" }', True),
        ("module.exports = { driver: 'libsql', dialect: 'sqlite' }", True),
        ('{"dialect": "turso", "out": "drizzle"}', True),
        ("export default { dialect: `turso` }", True),
        ('export default { dialect: "sqlite" } // was dialect: "turso"', False),
        ('/* dialect: "turso" */ export default { dialect: "sqlite" }', False),
        ("export default { dialect: env.DIALECT }", False),
        ("export default { dialect: `${kind}` }", False),
        ('const note = "dialect: turso"; export default { dialect: "sqlite" }', False),
    ],
)
def test_only_a_literal_dialect_or_driver_counts(text: str, libsql_config: bool) -> None:
    assert config_says_libsql(text) is libsql_config


def test_the_config_key_beats_the_project_and_is_checked(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.migration-harness]\ndialect = "sqlite"\n')
    config = read_config(pyproject)
    assert with_dialect(TARGETS["drizzle"], None, config.dialect, "libsql").dialect == "sqlite"
    pyproject.write_text('[tool.migration-harness]\ndialect = "libsq"\n')
    with pytest.raises(ConfigError, match="did you mean 'libsql'"):
        read_config(pyproject)
    pyproject.write_text('[tool.migration-harness]\ndialect = "turso"\n')  # drizzle-kit's word
    with pytest.raises(ConfigError, match="did you mean 'libsql'"):
        read_config(pyproject)


def test_the_d1_target_refuses_libsql() -> None:
    with pytest.raises(HarnessError, match="d1 target runs on Cloudflare D1"):
        with_dialect(TARGETS["d1"], "libsql")


# ---------------------------------------------------------------- lint


def lint_codes(folder: Path, target: Target) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in lint_set(discover(folder), target)]


def test_lint_calls_alter_column_foreign_on_sqlite_with_the_hint(tmp_path: Path) -> None:
    found = lint_codes(drizzle_set(tmp_path, CREATE, TIGHTEN), TARGETS["drizzle"])
    foreign = [m for code, m in found if code == "MH317"]
    assert len(foreign) == 1
    assert 'dialect = "libsql"' in foreign[0]
    assert [code for code, _ in found if code == "MH318"] == []  # one finding, not two


def test_lint_reports_a_not_null_added_over_existing_rows_on_libsql(tmp_path: Path) -> None:
    found = lint_codes(drizzle_set(tmp_path, CREATE, TIGHTEN), LIBSQL)
    assert [code for code, _ in found if code in ("MH317", "MH318")] == []
    shortcut = [m for code, m in found if code == "MH319"]
    assert len(shortcut) == 1
    assert "NOT NULL" in shortcut[0]
    assert "report" in shortcut[0]


def test_lint_is_quiet_on_an_alter_column_that_adds_no_constraint(tmp_path: Path) -> None:
    loosen = 'ALTER TABLE `report` ALTER COLUMN "status" TO "status" text DEFAULT \'open\';'
    found = lint_codes(drizzle_set(tmp_path, CREATE, loosen), LIBSQL)
    assert [code for code, _ in found if code in ("MH317", "MH318", "MH319")] == []


def test_lint_reports_a_check_added_on_libsql(tmp_path: Path) -> None:
    checked = 'ALTER TABLE `report` ALTER COLUMN "status" TO "status" text CHECK (status <> \'\');'
    found = lint_codes(drizzle_set(tmp_path, CREATE, checked), LIBSQL)
    assert [m for code, m in found if code == "MH319" and "CHECK (status <> '')" in m]


# drizzle-kit's turso output for a column made NOT NULL: the backfill before the ALTER is the
# fix MH319's hint asks for. SQLite runs the file's earlier writes on probe rows.
BACKFILL = "UPDATE `report` SET `status` = 'open' WHERE `status` IS NULL;"
BREAK = "--> statement-breakpoint\n"


@pytest.mark.parametrize(
    ("fix", "tighten"),
    [
        (BACKFILL, TIGHTEN),
        ("UPDATE `report` SET `status` = coalesce(`status`, 'open');", TIGHTEN),
        (
            "DELETE FROM `report` WHERE `status` IS NULL OR `status` = '';",
            'ALTER TABLE `report` ALTER COLUMN "status" TO "status" text CHECK (status <> \'\');',
        ),
    ],
)
def test_lint_is_quiet_when_the_file_mends_the_rows_first(
    tmp_path: Path, fix: str, tighten: str
) -> None:
    found = lint_codes(drizzle_set(tmp_path, CREATE, fix + BREAK + tighten), LIBSQL)
    assert [code for code, _ in found if code == "MH319"] == []


@pytest.mark.parametrize(
    "fix",
    [
        "UPDATE `report` SET `status` = 'open' WHERE `id` = 5;",  # some rows only
        "UPDATE `report` SET `price` = 0 WHERE `status` IS NULL;",  # another column
        "UPDATE `report` SET `status` = upper(`status`);",  # keeps the NULLs
    ],
)
def test_lint_still_reports_a_backfill_that_leaves_rows_broken(tmp_path: Path, fix: str) -> None:
    found = lint_codes(drizzle_set(tmp_path, CREATE, fix + BREAK + TIGHTEN), LIBSQL)
    assert [m for code, m in found if code == "MH319" and "NOT NULL" in m]


# A mend may read another table (a DELETE of orphans that takes the NULLs with it): SQLite
# runs it with that table empty and holding probe rows, and both must leave no row broken.
LABELS = "CREATE TABLE `labels` (`name` text PRIMARY KEY NOT NULL);"


def test_lint_is_quiet_when_a_mend_reading_another_table_leaves_no_null(tmp_path: Path) -> None:
    prune = (
        "DELETE FROM `report` WHERE `status` IS NULL"
        " OR `status` NOT IN (SELECT `name` FROM `labels`);"
    )
    folder = drizzle_set(tmp_path, CREATE + BREAK + LABELS, prune + BREAK + TIGHTEN)
    assert [code for code, _ in lint_codes(folder, LIBSQL) if code == "MH319"] == []


@pytest.mark.parametrize(
    "fix",
    [
        # NULL NOT IN (a non-empty list) is NULL: the NULL rows stay once labels holds a row
        "DELETE FROM `report` WHERE `status` NOT IN (SELECT `name` FROM `labels`);",
        # mends only while labels is empty
        "UPDATE `report` SET `status` = 'open' WHERE `status` IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM `labels`);",
        # mends only while labels holds a row: empty, the subquery is NULL
        "UPDATE `report` SET `status` = (SELECT `name` FROM `labels` LIMIT 1)"
        " WHERE `status` IS NULL;",
    ],
)
def test_lint_still_reports_a_mend_that_holds_only_for_some_other_rows(
    tmp_path: Path, fix: str
) -> None:
    folder = drizzle_set(tmp_path, CREATE + BREAK + LABELS, fix + BREAK + TIGHTEN)
    assert [m for code, m in lint_codes(folder, LIBSQL) if code == "MH319" and "NOT NULL" in m]


def test_lint_still_reports_an_alter_column_libsql_refuses(tmp_path: Path) -> None:
    rename = 'ALTER TABLE `report` ALTER COLUMN "status" TO "state" text;'
    found = lint_codes(drizzle_set(tmp_path, CREATE, rename), LIBSQL)
    refused = [m for code, m in found if code == "MH318"]
    assert len(refused) == 1
    assert "UPDATE cannot also rename column" in refused[0]


def test_a_regression_records_the_dialect_and_replays_on_it(tmp_path: Path) -> None:
    # 0001 makes status NOT NULL over rows holding NULL: libSQL takes it, integrity_check
    # fails after (MH152). The journal says sqlite; only --dialect said libsql.
    folder = drizzle_set(tmp_path, CREATE, TIGHTEN)
    ran = CliRunner().invoke(
        cli, ["check", str(folder), "--profile", "dev", "--dialect", "libsql", "--seed", "0"]
    )
    assert "MH152" in ran.output
    (written,) = (folder / "regressions").glob("integrity_error-*.json")
    assert json.loads(written.read_text())["dialect"] == "libsql"
    replayed = CliRunner().invoke(cli, ["replay", str(written)])
    assert replayed.exit_code == 1
    assert "MH152 error: integrity_error in 0001_step" in replayed.output


GENERATED = "CREATE TABLE g (a integer, b integer GENERATED ALWAYS AS (a * 2) VIRTUAL)"


def test_a_generated_column_may_not_change_from_virtual_to_stored() -> None:
    # alterColumnFunc compares the COLFLAG_GENERATED bits, VIRTUAL and STORED apart
    conn = database(GENERATED)
    with pytest.raises(HarnessError, match="GENERATED constraint cannot be altered"):
        run_file(conn, LIBSQL, "ALTER TABLE g ALTER COLUMN b TO b integer AS (a * 2) STORED")


def test_a_generated_column_may_change_its_expression() -> None:
    conn = database(GENERATED)
    run_file(conn, LIBSQL, "ALTER TABLE g ALTER COLUMN b TO b integer AS (a * 3) VIRTUAL")
    assert "b integer AS (a * 3) VIRTUAL" in table_sql(conn, "g")
