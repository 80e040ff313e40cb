"""sets.layouts.liquibase_master: a master changelog's include tree, in Liquibase's order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.sets.discovery import MigrationSet, discover
from migration_harness.sets.layouts.liquibase_master import sorted_changelogs
from migration_harness.sets.layouts.liquibase_xml import dbms_matches

HEADER = "--liquibase formatted sql\n"
XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n'
)
XML_TAIL = "</databaseChangeLog>\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def master(folder: Path, *children: str, name: str = "db.changelog-master.xml") -> Path:
    """An XML master holding ``children`` (raw XML lines) in ``folder``."""
    return write(folder / name, XML_HEAD + "".join(f"  {c}\n" for c in children) + XML_TAIL)


def changelog(path: Path, *changesets: tuple[str, str]) -> Path:
    """A formatted-SQL changelog: ``(header attributes after author:id, SQL)`` per changeset."""
    body = "".join(f"--changeset ann:{head}\n{sql}\n" for head, sql in changesets)
    return write(path, HEADER + body)


def ids(mset: MigrationSet) -> list[str]:
    return [str(m.runner_data["id"]) for m in mset.migrations]


def test_include_runs_files_in_document_order_not_by_name(tmp_path: Path) -> None:
    changelog(tmp_path / "a_email.sql", ("2", "ALTER TABLE users ADD COLUMN email TEXT;"))
    changelog(tmp_path / "z_users.sql", ("1", "CREATE TABLE users (id INTEGER PRIMARY KEY);"))
    master(tmp_path, '<include file="z_users.sql"/>', '<include file="a_email.sql"/>')
    mset = discover(tmp_path)
    assert mset.layout == "liquibase"
    assert ids(mset) == ["1", "2"]
    assert mset.notes[0] == "changesets run in the order of the master changelog " + (
        "db.changelog-master.xml"
    )


def test_without_a_master_the_folder_runs_by_name(tmp_path: Path) -> None:
    # The twin of the test above: the order comes from the master, not from the reader.
    changelog(tmp_path / "a_email.sql", ("2", "ALTER TABLE users ADD COLUMN email TEXT;"))
    changelog(tmp_path / "z_users.sql", ("1", "CREATE TABLE users (id INTEGER PRIMARY KEY);"))
    assert ids(discover(tmp_path)) == ["2", "1"]
    assert discover(tmp_path).notes == ()


# Java's String.compareTo: by UTF-16 code unit. Upper case before lower case, '-' (0x2D)
# before '.' (0x2E) before '/' (0x2F, a subfolder), and a character above U+FFFF (a
# surrogate pair, 0xD83D...) before U+FF5E, where Python's code point order puts it after.
JAVA_ORDER = ["B.sql", "a-b.sql", "a.sql", "a/x.sql", "\U0001f600.sql", "\uff5e.sql"]


def test_include_all_sorts_as_java_string_compare_to(tmp_path: Path) -> None:
    for number, name in enumerate(reversed(JAVA_ORDER)):
        changelog(tmp_path / "changes" / name, (str(number), f"CREATE TABLE t{number} (x);"))
    found = sorted_changelogs(tmp_path / "changes")
    assert [p.relative_to(tmp_path / "changes").as_posix() for p in found] == JAVA_ORDER
    assert sorted(JAVA_ORDER) != JAVA_ORDER  # Python's own order would differ


def test_include_all_runs_every_changelog_below_the_folder_in_that_order(tmp_path: Path) -> None:
    for number, name in enumerate(reversed(JAVA_ORDER)):
        changelog(tmp_path / "changes" / name, (str(number), f"CREATE TABLE t{number} (x);"))
    write(tmp_path / "changes" / "README.txt", "not a changelog\n")
    master(tmp_path, '<includeAll path="changes/" relativeToChangelogFile="true"/>')
    assert ids(discover(tmp_path)) == ["5", "4", "3", "2", "1", "0"]


def test_nested_masters_are_followed_where_they_stand(tmp_path: Path) -> None:
    changelog(tmp_path / "first.sql", ("1", "CREATE TABLE a (x);"))
    changelog(tmp_path / "v2" / "b.sql", ("2", "CREATE TABLE b (x);"))
    changelog(tmp_path / "v2" / "c.sql", ("3", "CREATE TABLE c (x);"))
    changelog(tmp_path / "last.sql", ("4", "CREATE TABLE d (x);"))
    write(
        tmp_path / "v2" / "v2.json",
        '{"databaseChangeLog": [{"include": {"file": "c.sql", "relativeToChangelogFile": true}},'
        ' {"include": {"file": "b.sql", "relativeToChangelogFile": true}}]}',
    )
    master(
        tmp_path,
        '<include file="first.sql"/>',
        '<include file="v2/v2.json"/>',
        '<include file="last.sql"/>',
    )
    assert ids(discover(tmp_path)) == ["1", "3", "2", "4"]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        # relativeToChangelogFile: beside the including file (resolveSibling).
        (' relativeToChangelogFile="true"', "beside"),
        # Without it: on the run's search path, the master's, not the nested file's.
        ("", "top"),
    ],
    ids=["relative", "search-path"],
)
def test_a_nested_include_resolves_as_relative_to_changelog_file_says(
    tmp_path: Path, relative: str, expected: str
) -> None:
    changelog(tmp_path / "y.sql", ("top", "CREATE TABLE top (x);"))
    changelog(tmp_path / "sub" / "y.sql", ("beside", "CREATE TABLE beside (x);"))
    master(tmp_path / "sub", f'<include file="y.sql"{relative}/>', name="c.xml")
    master(tmp_path, '<include file="sub/c.xml"/>')
    assert ids(discover(tmp_path)) == [expected]


def test_spring_classpath_paths_resolve_from_the_resources_root(tmp_path: Path) -> None:
    resources = tmp_path / "src" / "main" / "resources"
    changelog(resources / "db" / "changelog" / "changes" / "1.sql", ("1", "CREATE TABLE a (x);"))
    master(
        resources / "db" / "changelog",
        '<include file="classpath:db/changelog/changes/1.sql"/>',
    )
    mset = discover(tmp_path)
    assert (mset.migrations_dir, ids(mset)) == (resources / "db" / "changelog", ["1"])


def test_changesets_for_another_dbms_or_ignored_are_left_out_with_notes(tmp_path: Path) -> None:
    changelog(
        tmp_path / "a.sql",
        ("1", "CREATE TABLE a (x);"),
        ("pg dbms:postgresql", "CREATE EXTENSION citext;"),
        ("off ignore:true", "DROP TABLE a;"),
        ("lite dbms:sqlite,h2", "CREATE TABLE b (x);"),
        ("notpg dbms:!postgresql", "CREATE TABLE c (x);"),
    )
    master(tmp_path, '<include file="a.sql"/>')
    mset = discover(tmp_path)
    assert ids(mset) == ["1", "lite", "notpg"]
    assert "a.sql: changeset ann:pg has dbms:postgresql, which excludes sqlite: not run" in (
        mset.notes
    )
    assert "a.sql: changeset ann:off has ignore:true: not run" in mset.notes


def test_dbms_filter_applies_without_a_master_too(tmp_path: Path) -> None:
    changelog(tmp_path / "a.sql", ("1", "CREATE TABLE a (x);"), ("pg dbms:postgresql", "X;"))
    assert ids(discover(tmp_path)) == ["1"]


@pytest.mark.parametrize(
    ("definition", "runs"),
    [
        ("postgresql", False),
        ("sqlite", True),
        ("postgresql,sqlite", True),
        ("!sqlite", False),
        ("!postgresql", True),
        ("all", True),
        ("none", False),
        ("SQLite", True),
    ],
)
def test_dbms_matches_as_liquibase_database_list(definition: str, runs: bool) -> None:
    assert dbms_matches(definition) is runs


def test_dbms_on_an_include_is_no_filter(tmp_path: Path) -> None:
    changelog(tmp_path / "a.sql", ("1", "CREATE TABLE a (x);"))
    master(tmp_path, '<include file="a.sql" dbms="postgresql"/>')
    mset = discover(tmp_path)
    assert ids(mset) == ["1"]
    assert any("dbms on an include is no filter" in note for note in mset.notes)


def test_ignored_include_unlisted_files_and_contexts_are_noted(tmp_path: Path) -> None:
    changelog(tmp_path / "a.sql", ("1", "CREATE TABLE a (x);"))
    changelog(tmp_path / "skipped.sql", ("2", "CREATE TABLE b (x);"))
    changelog(tmp_path / "extra" / "stray.sql", ("3", "CREATE TABLE c (x);"))
    master(
        tmp_path,
        '<include file="a.sql" context="test"/>',
        '<include file="skipped.sql" ignore="true"/>',
    )
    mset = discover(tmp_path)
    assert ids(mset) == ["1"]
    assert mset.notes[1:] == (
        "db.changelog-master.xml: include has contexts/labels: the harness runs every context",
        "db.changelog-master.xml: include file=skipped.sql has ignore=true: not run",
        "extra/stray.sql: no changelog lists it: not run",
    )


YAML_MASTER = (
    "databaseChangeLog:\n  - include:\n      file: b.sql\n  - include:\n      file: a.sql\n"
)


@pytest.mark.parametrize(
    ("folder", "how"),
    [("", "the folder's .sql files in name order"), ("changes", "in includeAll order")],
    ids=["beside", "below"],
)
def test_yaml_master_falls_back_to_name_order_with_a_note(
    tmp_path: Path, folder: str, how: str
) -> None:
    changelog(tmp_path / folder / "b.sql", ("2", "CREATE TABLE b (x);"))
    changelog(tmp_path / folder / "a.sql", ("1", "CREATE TABLE a (x);"))
    write(tmp_path / "db.changelog-master.yaml", YAML_MASTER)
    mset = discover(tmp_path)
    assert (mset.layout, ids(mset)) == ("liquibase", ["1", "2"])
    assert mset.notes[0].startswith("db.changelog-master.yaml: a YAML master is not read")
    assert how in mset.notes[0]


def test_liquibase_changelog_setting_names_the_master(tmp_path: Path) -> None:
    changelog(tmp_path / "db" / "a.sql", ("a", "CREATE TABLE a (x);"))
    changelog(tmp_path / "db" / "b.sql", ("b", "CREATE TABLE b (x);"))
    master(tmp_path / "db", '<include file="b.sql"/>', '<include file="a.sql"/>', name="main.xml")
    write(
        tmp_path / "pyproject.toml", '[tool.migration-harness]\nliquibase_changelog = "main.xml"\n'
    )
    assert ids(discover(tmp_path / "db")) == ["b", "a"]


def test_an_unlisted_name_is_no_master(tmp_path: Path) -> None:
    # The twin: main.xml is found only when the setting names it.
    changelog(tmp_path / "db" / "a.sql", ("a", "CREATE TABLE a (x);"))
    changelog(tmp_path / "db" / "b.sql", ("b", "CREATE TABLE b (x);"))
    master(tmp_path / "db", '<include file="b.sql"/>', '<include file="a.sql"/>', name="main.xml")
    assert ids(discover(tmp_path / "db")) == ["a", "b"]


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_one_line_error(result: Result, path: Path, words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {path.resolve()}: ")
    assert words in result.stderr
    assert result.stderr.count("\n") == 1


def test_unparseable_master_exits_2(tmp_path: Path) -> None:
    broken = write(tmp_path / "db.changelog-master.xml", XML_HEAD + '  <include file="a.sql"\n')
    result = invoke("migrate", tmp_path, "--db", tmp_path / "app.db")
    assert_one_line_error(result, broken, "not valid XML")


def test_unparseable_json_master_exits_2(tmp_path: Path) -> None:
    broken = write(tmp_path / "db.changelog-master.json", '{"databaseChangeLog": [}')
    result = invoke("migrate", tmp_path, "--db", tmp_path / "app.db")
    assert_one_line_error(result, broken, "not valid JSON")


def test_missing_include_with_error_if_missing_false_is_a_note(tmp_path: Path) -> None:
    # The twin: Liquibase skips it with a warning, and so does the harness.
    changelog(tmp_path / "a.sql", ("1", "CREATE TABLE a (x);"))
    master(tmp_path, '<include file="gone.sql" errorIfMissing="false"/>', '<include file="a.sql"/>')
    mset = discover(tmp_path)
    assert ids(mset) == ["1"]
    assert any("gone.sql is missing" in note for note in mset.notes)


def test_a_cycle_through_another_file_exits_2(tmp_path: Path) -> None:
    master(tmp_path / "sub", '<include file="db.changelog-master.xml"/>', name="child.xml")
    master(tmp_path, '<include file="sub/child.xml"/>')
    result = invoke("migrate", tmp_path, "--db", tmp_path / "app.db")
    assert_one_line_error(result, tmp_path / "sub" / "child.xml", "break the cycle")


def test_notes_are_printed_by_the_cli(tmp_path: Path) -> None:
    changelog(tmp_path / "a.sql", ("1", "CREATE TABLE a (x);"), ("pg dbms:postgresql", "X;"))
    master(tmp_path, '<include file="a.sql"/>')
    result = invoke("migrate", tmp_path, "--db", tmp_path / "app.db")
    assert result.exit_code == 0, result.output
    assert "note: a.sql: changeset ann:pg has dbms:postgresql" in result.stderr


def test_spring_change_log_setting_names_the_master(tmp_path: Path) -> None:
    resources = tmp_path / "src" / "main" / "resources"
    folder = resources / "db" / "changelog"
    changelog(folder / "a.sql", ("a", "CREATE TABLE a (x);"))
    changelog(folder / "b.sql", ("b", "CREATE TABLE b (x);"))
    master(folder, '<include file="b.sql" relativeToChangelogFile="true"/>', name="main.xml")
    # A decoy with a usual name: the setting wins over it.
    master(folder, '<include file="a.sql" relativeToChangelogFile="true"/>', name="changelog.xml")
    write(
        resources / "application.yml",
        "spring:\n  liquibase:\n    change-log: classpath:db/changelog/main.xml\n",
    )
    assert ids(discover(folder)) == ["b"]
    # A Flyway folder beside it is another set: the Spring master is not its master.
    write(resources / "db" / "migration" / "V1__a.sql", "CREATE TABLE a (x);\n")
    assert discover(resources / "db" / "migration").layout == "flyway"


XML_SQL = (
    '<changeSet id="1" author="ann"><sql>CREATE TABLE a (x)</sql>'
    "<rollback>DROP TABLE a</rollback></changeSet>"
)
SQL_FILE = (
    '<changeSet id="1" author="ann">'
    '<sqlFile path="sql/a.sql" relativeToChangelogFile="true"/></changeSet>'
)
JSON_SQL = (
    '{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "ann", "changes": '
    '[{"sql": {"sql": "CREATE TABLE a (x)"}}], "rollback": "DROP TABLE a"}}]}'
)


@pytest.mark.parametrize(
    ("name", "text", "down"),
    [
        ("db.changelog-master.xml", XML_HEAD + XML_SQL + XML_TAIL, "DROP TABLE a"),
        ("db.changelog-master.xml", XML_HEAD + SQL_FILE + XML_TAIL, None),
        ("db.changelog-master.json", JSON_SQL, "DROP TABLE a"),
    ],
    ids=["xml-sql", "xml-sqlFile", "json-sql"],
)
def test_sql_changesets_of_xml_and_json_changelogs_run(
    tmp_path: Path, name: str, text: str, down: str | None
) -> None:
    write(tmp_path / "sql" / "a.sql", "CREATE TABLE a (x);\n")
    write(tmp_path / name, text)
    mset = discover(tmp_path)
    (migration,) = mset.migrations
    assert (migration.up_sql.strip(), migration.down_sql) == ("CREATE TABLE a (x);", down)
    # The file an sqlFile change runs is listed; otherwise nothing lists it.
    assert ("sql/a.sql: no changelog lists it: not run" in mset.notes) is ("sqlFile" not in text)


def test_sql_changes_for_another_dbms_are_left_out(tmp_path: Path) -> None:
    master(
        tmp_path,
        '<changeSet id="1" author="ann"><sql dbms="postgresql">CREATE EXTENSION citext</sql>'
        "<sql>CREATE TABLE a (x)</sql></changeSet>",
        '<changeSet id="2" author="ann"><sql dbms="postgresql">CREATE EXTENSION x</sql>'
        "</changeSet>",
    )
    mset = discover(tmp_path)
    assert [m.up_sql.strip() for m in mset.migrations] == ["CREATE TABLE a (x);"]
    assert "db.changelog-master.xml: changeset ann:2 has no SQL change for sqlite: not run" in (
        mset.notes
    )


def test_changesets_with_contexts_run_with_a_note(tmp_path: Path) -> None:
    changelog(tmp_path / "a.sql", ("1 context:test", "CREATE TABLE a (x);"), ("2", "SELECT 1;"))
    mset = discover(tmp_path)
    assert ids(mset) == ["1", "2"]
    assert mset.notes == (
        "1 changeset(s) carry contexts/labels (a.sql ann:1): the harness runs them all, as "
        "Liquibase does when started without --contexts/--labels",
    )


# A master's children (XML lines) and the words of the one-line error each one causes.
MASTER_ERRORS = {
    "missing include": (['<include file="gone.sql"/>'], "include file=gone.sql: no such file"),
    "self include": (['<include file="db.changelog-master.xml"/>'], "includes itself"),
    "included twice": (
        ['<include file="a.sql"/>', '<include file="a.sql"/>'],
        "includes a.sql a second time",
    ),
    "change type": (
        [
            '<changeSet id="1" author="ann"><createTable tableName="a">'
            '<column name="x" type="int"/></createTable></changeSet>'
        ],
        "uses createTable, which the harness cannot run as SQL",
    ),
    "rollback change type": (
        [
            '<changeSet id="1" author="ann"><sql>CREATE TABLE a (x)</sql>'
            '<rollback><dropTable tableName="a"/></rollback></changeSet>'
        ],
        "uses dropTable (in its rollback)",
    ),
    "missing sqlFile": (
        ['<changeSet id="1" author="ann"><sqlFile path="gone.sql"/></changeSet>'],
        "sqlFile path=gone.sql: no such file",
    ),
}


@pytest.mark.parametrize(("children", "words"), MASTER_ERRORS.values(), ids=MASTER_ERRORS.keys())
def test_master_errors_exit_2_naming_the_file(
    tmp_path: Path, children: list[str], words: str
) -> None:
    changelog(tmp_path / "a.sql", ("1", "CREATE TABLE a (x);"))
    top = master(tmp_path, *children)
    result = invoke("migrate", tmp_path, "--db", tmp_path / "app.db")
    assert_one_line_error(result, top, words)


@pytest.mark.parametrize(
    "sql",
    [
        "<sql><comment>make a</comment>CREATE TABLE a (x)</sql>",
        "<sql>CREATE TABLE <comment>make a</comment>a (x)</sql>",
        "<sql>CREATE TABLE a (x)<comment>make a</comment></sql>",
    ],
    ids=["comment-first", "comment-inside", "comment-last"],
)
def test_sql_text_around_a_comment_element_runs_whole(tmp_path: Path, sql: str) -> None:
    # Liquibase's SAX handler collects an element's text on both sides of its children
    rollback = "<rollback><comment>undo</comment>DROP TABLE a</rollback>"
    master(tmp_path, f'<changeSet id="1" author="ann">{sql}{rollback}</changeSet>')
    (migration,) = discover(tmp_path).migrations
    assert " ".join(migration.up_sql.split()) == "CREATE TABLE a (x);"
    assert migration.down_sql == "DROP TABLE a"


def test_ignore_on_an_include_skips_only_that_files_own_changesets(tmp_path: Path) -> None:
    # ChangeSet.isInheritableIgnore reads the include flag of the changeset's own changelog
    # only: a changelog the ignored one includes runs (liquibase-standard ChangeSet.java)
    changelog(tmp_path / "nested" / "inner.sql", ("inner", "CREATE TABLE inner_t (x);"))
    write(
        tmp_path / "nested" / "outer.xml",
        XML_HEAD
        + '  <changeSet id="outer" author="ann"><createTable tableName="t"/></changeSet>\n'
        + '  <include file="inner.sql" relativeToChangelogFile="true"/>\n'
        + XML_TAIL,
    )
    master(tmp_path, '<include file="nested/outer.xml" ignore="true"/>')
    mset = discover(tmp_path)
    assert ids(mset) == ["inner"]
    assert not any("no changelog lists it" in note for note in mset.notes)


def test_changesets_never_run_on_sqlite_may_use_any_change_type(tmp_path: Path) -> None:
    # DatabaseChangeLog.handleChildNode creates no changeSet whose dbms excludes the
    # database, and an ignored one never runs: their change types do not matter
    master(
        tmp_path,
        '<changeSet id="1" author="ann"><sql>CREATE TABLE a (x)</sql></changeSet>',
        '<changeSet id="pg" author="ann" dbms="postgresql"><createTable tableName="p"/>'
        "</changeSet>",
        '<changeSet id="off" author="ann" ignore="true"><createTable tableName="o"/>'
        '<sqlFile path="gone.sql"/></changeSet>',
    )
    mset = discover(tmp_path)
    assert ids(mset) == ["1"]
    assert (
        "db.changelog-master.xml: changeset ann:pg has dbms:postgresql, which excludes sqlite: "
        "not run" in mset.notes
    )
    assert "db.changelog-master.xml: changeset ann:off has ignore:true: not run" in mset.notes


def test_a_changeset_that_runs_on_sqlite_with_another_change_type_is_refused(
    tmp_path: Path,
) -> None:
    master(
        tmp_path,
        '<changeSet id="lite" author="ann" dbms="sqlite"><createTable tableName="p"/></changeSet>',
    )
    result = invoke("lint", tmp_path)
    assert_one_line_error(result, tmp_path / "db.changelog-master.xml", "uses createTable")


PG_ONLY = '<dbms type="postgresql"/>'


@pytest.mark.parametrize(
    ("guard", "runs"),
    [
        (f'<preConditions onFail="MARK_RAN">{PG_ONLY}</preConditions>', False),
        (f'<preConditions onFail="CONTINUE">{PG_ONLY}</preConditions>', False),
        (f'<preConditions onFail="MARK_RAN"><not>{PG_ONLY}</not></preConditions>', True),
        (
            '<preConditions onFail="MARK_RAN"><or><dbms type="h2"/><dbms type="sqlite"/></or>'
            "</preConditions>",
            True,
        ),
        (f'<preConditions onFail="WARN">{PG_ONLY}</preConditions>', True),
        # not judged without a database: the changeSet runs, as before
        (
            '<preConditions onFail="MARK_RAN"><tableExists tableName="a"/></preConditions>',
            True,
        ),
    ],
    ids=["mark-ran", "continue", "not-pg", "or-sqlite", "warn", "table-exists"],
)
def test_dbms_preconditions_decide_whether_a_changeset_runs(
    tmp_path: Path, guard: str, runs: bool
) -> None:
    # ChangeSet.execute: a failed precondition with onFail MARK_RAN/CONTINUE skips it
    master(
        tmp_path,
        '<changeSet id="1" author="ann"><sql>CREATE TABLE a (x)</sql></changeSet>',
        f'<changeSet id="2" author="ann">{guard}<createTable tableName="b"/>'
        "<sql>CREATE EXTENSION citext</sql></changeSet>"
        if not runs
        else f'<changeSet id="2" author="ann">{guard}<sql>CREATE TABLE b (x)</sql></changeSet>',
    )
    mset = discover(tmp_path)
    assert ids(mset) == (["1", "2"] if runs else ["1"])
    assert any("has preConditions that fail on sqlite" in note for note in mset.notes) is (not runs)


def test_json_dbms_preconditions_skip_a_changeset(tmp_path: Path) -> None:
    changeset = {
        "id": "pg",
        "author": "ann",
        "preConditions": [{"onFail": "MARK_RAN"}, {"dbms": {"type": "postgresql"}}],
        "changes": [{"sql": {"sql": "CREATE EXTENSION citext"}}],
    }
    write(
        tmp_path / "db.changelog-master.json",
        json.dumps({"databaseChangeLog": [{"changeSet": changeset}]}),
    )
    mset = discover(tmp_path)
    assert ids(mset) == []
    assert (
        "db.changelog-master.json: changeset ann:pg has preConditions that fail on sqlite (dbms) "
        "with onFail=MARK_RAN: not run" in mset.notes
    )


def test_a_dbms_precondition_that_halts_exits_2(tmp_path: Path) -> None:
    path = master(
        tmp_path,
        f'<changeSet id="pg" author="ann"><preConditions>{PG_ONLY}</preConditions>'
        "<sql>CREATE EXTENSION citext</sql></changeSet>",
    )
    result = invoke("lint", tmp_path)
    assert_one_line_error(result, path, "onFail=HALT stops Liquibase's update")


def test_json_modify_change_sets_runs_its_includes(tmp_path: Path) -> None:
    """A JSON master's modifyChangeSets was skipped without a word: its files never ran."""
    changelog(tmp_path / "a.sql", ("a1", "CREATE TABLE a (x)"))
    changelog(tmp_path / "b.sql", ("b1", "CREATE TABLE b (x)"))
    body = {
        "databaseChangeLog": [
            {
                "modifyChangeSets": {
                    "runWith": "sqlplus",
                    "include": [{"file": "a.sql", "relativeToChangelogFile": True}],
                    "includeAll": {"path": "more", "relativeToChangelogFile": True},
                }
            },
            {"include": {"file": "b.sql", "relativeToChangelogFile": True}},
        ]
    }
    changelog(tmp_path / "more" / "c.sql", ("c1", "CREATE TABLE c (x)"))
    write(tmp_path / "db.changelog-master.json", json.dumps(body))
    mset = discover(tmp_path)
    assert ids(mset) == ["a1", "c1", "b1"]
    assert any("runWith=sqlplus is not applied" in note for note in mset.notes)
