"""The plugin reads the set's dialect as the CLI does (option, ini key, table key, project).

A drizzle set whose 0001 is libSQL's ``ALTER TABLE … ALTER COLUMN``: its apply item fails
(naming the setting) on plain SQLite and passes on libSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.plugin.test_application_keys import run

pytest_plugins = ["pytester"]

TABLE = '[tool.migration-harness]\nmigrations = "drizzle"\nchecks = ["apply"]\n'
FILES = {
    "0000_report": "CREATE TABLE `report` (`id` integer PRIMARY KEY NOT NULL, `status` text);",
    "0001_tighten": 'ALTER TABLE `report` ALTER COLUMN "status" TO "status" text NOT NULL;',
}


def project(pytester: pytest.Pytester, extra: str = "") -> Path:
    folder = Path(pytester.path) / "drizzle"
    (folder / "meta").mkdir(parents=True)
    entries = []
    for i, (tag, text) in enumerate(FILES.items()):
        (folder / f"{tag}.sql").write_text(text)
        entries.append({"idx": i, "version": "6", "when": 1700000000000 + i, "tag": tag})
    journal = {"version": "7", "dialect": "sqlite", "entries": entries}
    (folder / "meta" / "_journal.json").write_text(json.dumps(journal))
    (pytester.path / "pyproject.toml").write_text(TABLE + extra)
    return pytester.path


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_on_sqlite_the_item_fails_and_names_the_setting(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(['*dialect = "libsql"*'])


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_table_key_runs_it_as_libsql(pytester: pytest.Pytester) -> None:
    project(pytester, 'dialect = "libsql"\n')
    run(pytester).assert_outcomes(passed=2)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_option_runs_it_as_libsql(pytester: pytest.Pytester) -> None:
    project(pytester)
    run(pytester, "--migration-dialect", "libsql").assert_outcomes(passed=2)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_ini_key_runs_it_as_libsql(pytester: pytest.Pytester) -> None:
    project(pytester, '[tool.pytest.ini_options]\nmigrations_dialect = "libsql"\n')
    run(pytester).assert_outcomes(passed=2)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_option_beats_the_table_key(pytester: pytest.Pytester) -> None:
    project(pytester, 'dialect = "libsql"\n')
    run(pytester, "--migration-dialect", "sqlite").assert_outcomes(passed=1, failed=1)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_a_turso_drizzle_config_is_enough(pytester: pytest.Pytester) -> None:
    root = project(pytester)
    (root / "drizzle.config.ts").write_text(
        'export default { dialect: "turso", out: "drizzle" };\n'
    )
    run(pytester).assert_outcomes(passed=2)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_a_bad_dialect_is_a_usage_error(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = run(pytester, "--migration-dialect", "turso")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*turso*"])
