"""liamstask goose's own reading of a file: sections, annotations, and a skipped rollback.

pressly/goose ``lib/goose/migration_sql.go`` at 8488cc4 (the commit gophish pins):
``splitSQLStatements`` scans the whole file per direction; ``-- +goose Up``/``Down`` match
exactly (case included) and switch buffering on and off, so sections may repeat and
unterminated text carries into the next section of the same direction; a file with no
annotation at all stops goose (``log.Fatalf``). goose v3's reader refuses or reads
differently every file below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.errors import BadFileError
from migration_harness.sets.discovery import discover
from migration_harness.sets.goose_v1 import MAX_LINE, read_file_v1, split_goose_v1
from migration_harness.sets.targets import TARGETS

GO_MOD = "module x\n\nrequire bitbucket.org/liamstask/goose v0.0.0-20150115234039-8488cc47d90c\n"
FIRST = "-- +goose Up\nCREATE TABLE a(x INTEGER);\n-- +goose Down\nDROP TABLE a;\n"


def liamstask_set(tmp_path: Path, files: dict[str, str], *, go_mod: bool = True) -> Path:
    folder = tmp_path / "db" / "migrations"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    if go_mod:
        (tmp_path / "go.mod").write_text(GO_MOD)
    return folder


def kinds(folder: Path, checks: tuple[str, ...] = ("apply", "rollback")) -> list[str]:
    found = check_set(discover(folder), TARGETS["goose-v1"], profile="dev", checks=checks)
    return [f.kind for f in found.findings]


LOWER = "-- +goose up\nCREATE TABLE b(x INTEGER);\n-- +goose down\nDROP TABLE b;\n"


def test_lower_case_annotations_are_comments_so_goose_stops_on_the_file(tmp_path: Path) -> None:
    folder = liamstask_set(tmp_path, {"1_a.sql": FIRST, "2_b.sql": LOWER})
    found = check_set(discover(folder), TARGETS["goose-v1"], profile="dev", checks=("apply",))
    errors = [f for f in found.findings if f.kind == "apply_error"]
    assert [f.migration for f in errors] == ["2_b"]
    assert "no Up/Down annotations found" in errors[0].message
    assert errors[0].line == 1
    # goose v3 matches with EqualFold: the same file applies.
    v3 = check_set(discover(folder, target="goose"), TARGETS["goose"], checks=("apply",))
    assert v3.findings == []


def test_exact_case_twin_applies(tmp_path: Path) -> None:
    upper = LOWER.replace("+goose up", "+goose Up").replace("+goose down", "+goose Down")
    assert kinds(liamstask_set(tmp_path, {"1_a.sql": FIRST, "2_b.sql": upper})) == []


REPEATED = (
    "-- +goose Up\nCREATE TABLE a(x INTEGER);\n-- +goose Down\nDROP TABLE a;\n"
    "-- +goose Up\nCREATE TABLE b(x INTEGER);\n-- +goose Down\nDROP TABLE b;\n"
)


def test_repeated_sections_all_run(tmp_path: Path) -> None:
    parsed = read_file_v1(REPEATED)
    assert [s for s, _ in split_goose_v1(parsed.up).statements] == [
        "CREATE TABLE a(x INTEGER);",
        "CREATE TABLE b(x INTEGER);",
    ]
    assert parsed.down is not None
    assert [line for _, line in split_goose_v1(parsed.down).statements] == [4, 8]
    assert kinds(liamstask_set(tmp_path, {"1_ab.sql": REPEATED})) == []


def test_goose_v3_refuses_the_repeated_up(tmp_path: Path) -> None:
    folder = liamstask_set(tmp_path, {"1_ab.sql": REPEATED}, go_mod=False)
    with pytest.raises(BadFileError, match="duplicate '-- \\+goose Up'"):
        discover(folder)
    # Forcing the runner reads it the liamstask way without a go.mod naming it.
    assert discover(folder, target="goose-v1").migrations[0].down_sql is not None


def test_unterminated_text_carries_into_the_next_section_of_its_direction() -> None:
    text = (
        "-- +goose Up\nCREATE TABLE a(\n-- +goose Down\nDROP TABLE a;\n"
        "-- +goose Up\n  x INTEGER);\n"
    )
    parsed = read_file_v1(text)
    split = split_goose_v1(parsed.up)
    assert split.skipped is None
    assert [(" ".join(s.split()), line) for s, line in split.statements] == [
        ("CREATE TABLE a( x INTEGER);", 2)
    ]


def test_an_indented_or_misspelt_annotation_is_sql_text() -> None:
    text = "-- +goose Up\nCREATE TABLE a(x);\n  -- +goose Down\nDROP TABLE a;\n-- +goose Upp\n"
    parsed = read_file_v1(text)
    assert parsed.down is None  # no Down annotation: goose down runs nothing
    assert [s for s, _ in split_goose_v1(parsed.up).statements] == [
        "CREATE TABLE a(x);",
        "DROP TABLE a;",
    ]


def test_text_before_the_first_annotation_is_ignored_and_crlf_lines_read() -> None:
    parsed = read_file_v1("CREATE TABLE junk(x);\r\n-- +goose Up  \r\nSELECT 1;\r\n")
    assert split_goose_v1(parsed.up).statements == (("SELECT 1;", 3),)
    assert parsed.fatal is None


def test_a_line_too_long_for_the_scanner_stops_goose() -> None:
    text = "-- +goose Up\nSELECT '" + "x" * MAX_LINE + "';\n"
    parsed = read_file_v1(text)
    assert parsed.fatal is not None
    assert "token too long" in parsed.fatal
    assert parsed.fatal_line == 2
    assert read_file_v1("-- +goose Up\nSELECT '" + "x" * 1000 + "';\n").fatal is None


def test_an_unended_statement_begin_is_named() -> None:
    text = "-- +goose Up\n-- +goose StatementBegin\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
    note = TARGETS["goose-v1"].skipped(read_file_v1(text).up)
    assert note is not None
    assert "StatementBegin' is never ended" in note


# gophish's 20190105192341_0.8.0_rbac.sql, reduced: the Down's DROP TABLEs have no ';'.
RBAC = """-- +goose Up
CREATE TABLE "roles" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "slug" VARCHAR(255));
ALTER TABLE "users" ADD COLUMN "role_id" INTEGER;

-- +goose Down
DROP TABLE "roles"
"""
USERS = (
    "-- +goose Up\nCREATE TABLE users(id INTEGER PRIMARY KEY);\n-- +goose Down\nDROP TABLE users;\n"
)


def test_a_skipped_rollback_is_one_finding_the_failed_reapply(tmp_path: Path) -> None:
    folder = liamstask_set(tmp_path, {"1_users.sql": USERS, "2_rbac.sql": RBAC})
    found = check_set(discover(folder), TARGETS["goose-v1"], profile="dev")
    errors = [f for f in found.findings if f.severity == "error"]
    assert [(f.kind, f.migration) for f in errors] == [("reapply_error", "2_rbac")]
    assert not [f for f in found.findings if f.kind == "runner_conflict"]
    finding = errors[0]
    assert 'table "roles" already exists' in finding.message
    assert "skips the rollback's unterminated statement" in finding.message
    assert "rollback runs nothing" in finding.message
    assert "left by the rollback: table roles is unexpected" in finding.details
    assert "left by the rollback: column users.role_id is unexpected" in finding.details


def test_terminated_rbac_twin_is_quiet(tmp_path: Path) -> None:
    fixed = RBAC.replace(
        'DROP TABLE "roles"', 'DROP TABLE "roles";\nALTER TABLE users DROP role_id;'
    )
    folder = liamstask_set(tmp_path, {"1_users.sql": USERS, "2_rbac.sql": fixed})
    found = check_set(discover(folder), TARGETS["goose-v1"], profile="dev")
    assert [f for f in found.findings if f.severity != "note"] == []


def test_a_skipped_rollback_that_reapplies_is_one_drift(tmp_path: Path) -> None:
    maillogs = RBAC.replace('TABLE "roles"', 'TABLE IF NOT EXISTS "roles"', 1).replace(
        'ALTER TABLE "users" ADD COLUMN "role_id" INTEGER;\n', ""
    )
    folder = liamstask_set(tmp_path, {"1_users.sql": USERS, "2_logs.sql": maillogs})
    found = check_set(discover(folder), TARGETS["goose-v1"], profile="dev")
    errors = [f for f in found.findings if f.severity != "note"]
    assert [f.kind for f in errors] == ["rollback_schema_drift"]
    assert "rollback runs nothing" in errors[0].message
    assert errors[0].line == 5  # the skipped statement's line
