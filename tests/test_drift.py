"""checks.drift: a round-trip drift that changes no behaviour is a warning (issue 13).

Each planted set rebuilds ``people`` in its rollback. Only reordered columns or a type
spelt otherwise with the same affinity: MH130 (and MH129 after the re-apply), exit 0. The
same rebuild stays MH132 when it also drops a NOT NULL, when a later file copies the table
by position, or when the type change is one SQLite or a driver tells apart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlglot
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import schema_from_sql
from migration_harness.schema.positional import ANY, positional_uses
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]

PEOPLE = "id INTEGER PRIMARY KEY, name {name} NOT NULL, email TEXT, seen {seen}"
COLUMNS = "id, name, email, seen"


def people_set(
    migration_set: MigrationSetFactory,
    rebuilt: str,
    *,
    name: str = "TEXT",
    seen: str = "DATETIME",
    later: tuple[str, str] | None = None,
) -> Path:
    """A set whose 0002 adds ``age`` and whose rollback rebuilds people as ``rebuilt``."""
    down = (
        f"CREATE TABLE people_old ({rebuilt});\n"
        f"INSERT INTO people_old ({COLUMNS}) SELECT {COLUMNS} FROM people;\n"
        "DROP TABLE people;\n"
        "ALTER TABLE people_old RENAME TO people;\n"
    )
    files = {
        1: (
            f"CREATE TABLE IF NOT EXISTS people ({PEOPLE.format(name=name, seen=seen)});",
            "DROP TABLE IF EXISTS people;",
        ),
        2: ("ALTER TABLE people ADD COLUMN age INTEGER;", down),
    }
    if later is not None:
        files[3] = later
    return migration_set(files)


def drifts(root: Path, kind: str = "rollback_schema_drift") -> list[Finding]:
    run = check_set(discover(root), TARGETS["sqlite"], checks=["rollback"], seed=0)
    return [f for f in run.findings if f.kind == kind]


REORDERED = "id INTEGER PRIMARY KEY, email TEXT, name TEXT NOT NULL, seen DATETIME"


def test_reordered_columns_are_a_warning_saying_why(migration_set: MigrationSetFactory) -> None:
    (finding,) = drifts(people_set(migration_set, REORDERED))
    assert (finding.code, finding.severity) == ("MH130", "warning")
    assert "only in the column order of people, which changes no behaviour" in finding.message
    assert finding.details == (
        "table people: column order differs (expected id, name, email, seen) (cosmetic: no "
        "statement of the set that can still run, nor a trigger, relies on this table's "
        "column order: each names its columns)",
    )


def test_reordered_columns_after_the_re_apply_are_a_warning(
    migration_set: MigrationSetFactory,
) -> None:
    (finding,) = drifts(people_set(migration_set, REORDERED), "reapply_schema_drift")
    assert (finding.code, finding.severity) == ("MH129", "warning")


def test_a_set_whose_only_drift_is_cosmetic_exits_0(migration_set: MigrationSetFactory) -> None:
    root = people_set(migration_set, REORDERED)
    args = ["check", str(root), "--applied", "tracked", "--seed", "0", "--no-regressions"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "MH130 warning: rollback_schema_drift in 0002_m0002" in result.output


def test_reordered_columns_that_also_drop_a_not_null_stay_an_error_listing_it_first(
    migration_set: MigrationSetFactory,
) -> None:
    rebuilt = "id INTEGER PRIMARY KEY, email TEXT, name TEXT, seen DATETIME"
    (finding,) = drifts(people_set(migration_set, rebuilt))
    assert (finding.code, finding.severity) == ("MH132", "error")
    assert finding.details[0] == ("column people.name: NOT NULL differs (expected True, got False)")
    assert finding.details[1].startswith("table people: column order differs")
    assert finding.details[1].endswith(
        "(cosmetic: no statement of the set that can still "
        "run, nor a trigger, relies on this table's column "
        "order: each names its columns)"
    )


@pytest.mark.parametrize(
    ("later", "relied"),
    [
        (
            "INSERT INTO people SELECT * FROM people_import;",
            "0003_m0003.sql: INSERT INTO people SELECT * FROM people_import relies on it",
        ),
        (
            "INSERT INTO people_import SELECT * FROM people;",
            "0003_m0003.sql: INSERT INTO people_import SELECT * FROM people relies on it",
        ),
        (
            "INSERT INTO people VALUES (1, 'a', 'a@b', NULL, 3);",
            "0003_m0003.sql: INSERT INTO people VALUES (1, 'a', 'a@b', NULL, 3) relies on it",
        ),
    ],
    ids=["insert-into-t-select-star", "select-star-from-t", "insert-values"],
)
def test_reordered_columns_a_later_file_copies_by_position_stay_an_error(
    migration_set: MigrationSetFactory, later: str, relied: str
) -> None:
    create = (
        "CREATE TABLE IF NOT EXISTS people_import "
        "(id INTEGER PRIMARY KEY, name TEXT, email TEXT, seen DATETIME, age INTEGER);\n"
    )
    root = people_set(migration_set, REORDERED, later=(create + later, "DROP TABLE people_import;"))
    (finding,) = drifts(root)
    assert (finding.code, finding.severity) == ("MH132", "error")
    assert finding.details == (
        f"table people: column order differs (expected id, name, email, seen): {relied}",
    )


def test_a_later_copy_that_names_its_columns_keeps_the_order_cosmetic(
    migration_set: MigrationSetFactory,
) -> None:
    later = (
        "CREATE TABLE IF NOT EXISTS people_import (id INTEGER PRIMARY KEY, name TEXT);\n"
        "INSERT INTO people_import (id, name) SELECT id, name FROM people;"
    )
    root = people_set(migration_set, REORDERED, later=(later, "DROP TABLE people_import;"))
    assert [f.code for f in drifts(root)] == ["MH130"]


# SQLite runs it; sqlglot cannot parse it (LIKE … ESCAPE <call> GLOB): a positional copy.
UNREADABLE_COPY = (
    "INSERT INTO people_import SELECT * FROM people WHERE name LIKE email ESCAPE char(33) "
    "GLOB email;"
)


def test_reordered_columns_beside_an_unreadable_copy_stay_an_error(
    migration_set: MigrationSetFactory,
) -> None:
    """Unreadable is no proof the order is unused: MH132, naming the statement (MH130 before)."""
    with pytest.raises(sqlglot.errors.ParseError):  # the premise: sqlglot cannot read it
        sqlglot.parse_one(UNREADABLE_COPY, read="sqlite")
    create = (
        "CREATE TABLE IF NOT EXISTS people_import "
        "(id INTEGER PRIMARY KEY, name TEXT, email TEXT, seen DATETIME, age INTEGER);\n"
    )
    later = (create + UNREADABLE_COPY, "DROP TABLE people_import;")
    (finding,) = drifts(people_set(migration_set, REORDERED, later=later))
    assert (finding.code, finding.severity) == ("MH132", "error")
    assert "(unreadable: may copy by position) relies on it" in finding.details[0]


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        (UNREADABLE_COPY, {"people", "people_import"}),  # every name it holds
        ("INSERT INTO t SELECT 'never closed", {ANY}),  # not even tokenized: any table
        # unreadable but copies nothing: no rows move by position
        ("CREATE TABLE s (a TEXT, UNIQUE(a) FOREIGN KEY(a) REFERENCES t(id));", set()),
        ("PRAGMA foreign_keys = OFF;", set()),
    ],
)
def test_an_unreadable_statement_that_can_copy_rows_counts_as_positional(
    sql: str, tables: set[str]
) -> None:
    found = set(positional_uses([("f.sql", sql)]))
    assert tables <= found
    if not tables:
        assert found == set()


def test_varchar_to_text_is_a_warning(migration_set: MigrationSetFactory) -> None:
    rebuilt = "id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, seen DATETIME"
    (finding,) = drifts(people_set(migration_set, rebuilt, name="VARCHAR(255)"))
    assert (finding.code, finding.severity) == ("MH130", "warning")
    assert "the declared type spelling of 1 column(s)" in finding.message
    assert finding.details[0].startswith(
        "column people.name: type differs (expected VARCHAR(255), got TEXT) (cosmetic: "
        "both have TEXT affinity"
    )


def test_datetime_to_text_stays_an_error(migration_set: MigrationSetFactory) -> None:
    rebuilt = "id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, seen TEXT"
    (finding,) = drifts(people_set(migration_set, rebuilt))
    assert (finding.code, finding.severity) == ("MH132", "error")
    assert finding.details == ("column people.seen: type differs (expected DATETIME, got TEXT)",)


def test_int_primary_key_for_integer_primary_key_stays_an_error(
    migration_set: MigrationSetFactory,
) -> None:
    rebuilt = "id INT PRIMARY KEY, name TEXT NOT NULL, email TEXT, seen DATETIME"
    (finding,) = drifts(people_set(migration_set, rebuilt))
    assert (finding.code, finding.severity) == ("MH132", "error")
    # INT PRIMARY KEY is no rowid alias: its key is an index of its own.
    assert finding.details == (
        "column people.id: type differs (expected INTEGER, got INT)",
        "index PRIMARY KEY on people(id) is unexpected",
    )


def test_the_history_fuzzer_goes_on_past_a_cosmetic_drift(
    migration_set: MigrationSetFactory,
) -> None:
    root = people_set(migration_set, REORDERED)
    run: CheckRun = check_set(discover(root), TARGETS["sqlite"], checks=["stateful"], seed=0)
    assert [f for f in run.findings if f.kind.endswith("schema_drift")] == []
    # Nor does the re-run of 0001 after that rollback blame 0001 for the reordered table.
    assert [f for f in run.findings if f.migration == "0001_m0001"] == []


# --- the rules alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "cosmetic"),
    [
        ("a VARCHAR(255)", "a TEXT", True),
        ("a INT", "a BIGINT", True),
        ("a DECIMAL(10,2)", "a NUMERIC", True),
        ("a DOUBLE", "a REAL", True),
        ("a TEXT", "a INTEGER", False),  # another affinity
        ("a DATETIME", "a TEXT", False),  # drivers read DATETIME
        ("a TIMESTAMP", "a DATETIME", False),  # Python's converters differ
        ("a BOOLEAN", "a NUMERIC", False),
        ("a JSON", "a TEXT", False),
        ("id INTEGER PRIMARY KEY", "id INT PRIMARY KEY", False),  # rowid alias or not
        ("id INTEGER PRIMARY KEY, b INT", "id INTEGER PRIMARY KEY, b INTEGER", True),
    ],
)
def test_a_type_spelling_is_cosmetic_only_with_the_same_behaviour(
    before: str, after: str, cosmetic: bool
) -> None:
    drift = diff_schemas(
        schema_from_sql(f"CREATE TABLE t ({before});"),
        schema_from_sql(f"CREATE TABLE t ({after});"),
    )
    assert drift
    assert all(item.nature == "type" for item in drift.items) is cosmetic


def test_a_type_spelling_in_a_strict_table_is_behaviour() -> None:
    drift = diff_schemas(
        schema_from_sql("CREATE TABLE t (a INT) STRICT;"),
        schema_from_sql("CREATE TABLE t (a INTEGER) STRICT;"),
    )
    assert [item.nature for item in drift.items] == ["behaviour"]


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ("INSERT INTO t SELECT a, b FROM u", {"t"}),
        ("INSERT INTO t VALUES (1, 2)", {"t"}),
        ("REPLACE INTO t VALUES (1, 2)", {"t"}),
        ("INSERT INTO x (a, b) SELECT * FROM t", {"t"}),
        ("INSERT INTO x (a, b) SELECT tt.* FROM t AS tt JOIN u ON 1", {"t"}),
        ("CREATE TABLE x AS SELECT * FROM t", {"t"}),
        ("WITH c AS (SELECT * FROM t) INSERT INTO x (a) SELECT a FROM c", {"t"}),
        (
            "CREATE TRIGGER tr AFTER INSERT ON u BEGIN INSERT INTO t VALUES (new.id); END",
            {"t"},
        ),
        # the rebuild recipe: t_old is t renamed, so the star reads t's order
        ("ALTER TABLE t RENAME TO t_old; INSERT INTO t2 (a) SELECT * FROM t_old;", {"t", "t_old"}),
        ("INSERT INTO t (a, b) VALUES (1, 2)", set()),
        ("INSERT INTO t (a, b) SELECT a, b FROM u", set()),
        ("INSERT INTO t DEFAULT VALUES", set()),
        ("SELECT * FROM t", set()),
        (
            "CREATE TRIGGER tr AFTER INSERT ON u BEGIN INSERT INTO t (id) VALUES (new.id); END",
            set(),
        ),
    ],
)
def test_positional_uses_are_read_from_the_parsed_statements(sql: str, tables: set[str]) -> None:
    assert set(positional_uses([("f.sql", sql)])) == tables


@pytest.mark.parametrize(
    ("before", "after", "cosmetic"),
    [
        ("CREATE INDEX idx_A ON t(a);", "CREATE INDEX idx_a ON t(a);", True),
        (
            "CREATE INDEX i ON t(a) WHERE b IS NOT NULL;",
            'CREATE INDEX i ON t(a) WHERE "B" IS NOT NULL;',
            True,
        ),
        ("CREATE INDEX i ON t(lower(a));", 'CREATE INDEX i ON t(LOWER("A"));', True),
        ("CREATE VIEW v AS SELECT a FROM t;", 'CREATE VIEW "V" AS select "A" from T;', True),
        ("CREATE UNIQUE INDEX i ON t(a);", "CREATE INDEX I ON t(a);", False),  # no longer UNIQUE
        ("CREATE INDEX i ON t(a) WHERE b = 'x';", "CREATE INDEX i ON t(a) WHERE b = 'X';", False),
    ],
)
def test_identifier_case_and_quoting_are_cosmetic_but_literals_are_not(
    before: str, after: str, cosmetic: bool
) -> None:
    table = "CREATE TABLE t (a INT, b TEXT);"
    drift = diff_schemas(schema_from_sql(table + before), schema_from_sql(table + after))
    assert drift
    assert all(item.nature == "spelling" for item in drift.items) is cosmetic


@pytest.mark.parametrize(
    ("check", "cosmetic"),
    [
        ('CHECK ("A" > 0)', True),
        ("CHECK (A>0)", True),
        ("CHECK (a > 1)", False),
        ('CHECK ("zz" > 0)', False),
    ],
)
def test_a_check_spelt_otherwise_is_cosmetic_only_for_its_identifiers(
    check: str, cosmetic: bool
) -> None:
    drift = diff_schemas(
        schema_from_sql("CREATE TABLE t (a INT CHECK (a > 0));"),
        schema_from_sql(f"CREATE TABLE t (a INT {check});"),
    )
    assert all(item.nature == "spelling" for item in drift.items) is cosmetic


def test_a_rollback_that_only_respells_an_index_name_is_a_warning(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS t (a INT);\n"
                "CREATE INDEX IF NOT EXISTS idx_T_a ON t(a);",
                "DROP TABLE IF EXISTS t;",
            ),
            2: (
                "DROP INDEX idx_T_a;",
                "CREATE INDEX idx_t_a ON t(a);",
            ),
        }
    )
    (finding,) = drifts(root)
    assert (finding.code, finding.severity) == ("MH130", "warning")
    assert "identifier case or quoting of 1 index(es)" in finding.message
