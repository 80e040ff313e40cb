"""The pytest plugin, run with pytester on projects holding only a set and a pyproject.toml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "tests" / "examples"
CHECKS = ("lint", "apply", "idempotent", "apply_keeps_data", "rollback", "rollback_keeps_data")
MIGRATIONS = ("0001_users", "0002_tags")
ALL_IDS = [f"pyproject.toml::db::{m}::{c}" for m in MIGRATIONS for c in CHECKS] + [
    "pyproject.toml::db::fk_index",
    "pyproject.toml::db::stateful",
]
LOSSY = "pyproject.toml::db::0002_tags::rollback_keeps_data"
LOSSY_LINT = "pyproject.toml::db::0002_tags::lint"
# The history fuzzer sees the same lossy rollback, and lint names the rebuild that copies no
# row (MH204, an error): all three items are about that defect.
LOSSY_ITEMS = {LOSSY_LINT: "FAILED", LOSSY: "FAILED", "pyproject.toml::db::stateful": "FAILED"}
_OUTCOME = re.compile(
    r"^(?:\[gw\d+\] \[\s*\d+%\] (?P<first>PASSED|FAILED|SKIPPED|ERROR) (?P<id1>\S+)"
    r"|(?P<id2>\S+::\S+) (?P<second>PASSED|FAILED|SKIPPED|ERROR))"
)


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default profile depends on $CI; the examples pin theirs, the rest must not vary."""
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture(autouse=True)
def _keep_hypothesis_profile() -> Iterator[None]:
    """In-process runs share Hypothesis's globals: ``--hypothesis-profile thorough`` in one
    would otherwise stay loaded for every later test of this suite."""
    name = settings.get_current_profile_name()
    yield
    settings.load_profile(name)


def project(pytester: pytest.Pytester, example: str) -> Path:
    """Copy ``tests/examples/<example>`` (a set and a pyproject.toml, no test file)."""
    shutil.copytree(EXAMPLES / example, pytester.path, dirs_exist_ok=True)
    return pytester.path


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """``{node id: PASSED|FAILED|SKIPPED}`` from ``-v`` output, with or without xdist."""
    found: dict[str, str] = {}
    for line in result.outlines:
        match = _OUTCOME.match(line)
        if match:
            node = match.group("id1") or match.group("id2")
            found[node] = match.group("first") or match.group("second")
    return found


def collected(result: pytest.RunResult) -> list[str]:
    """The node ids ``--collect-only -q`` listed."""
    return [line for line in result.outlines if "::" in line]


def test_collects_one_item_per_migration_per_check_and_passes(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_clean")
    listing = pytester.runpytest("--collect-only", "-q")
    assert collected(listing) == ALL_IDS
    result = pytester.runpytest()
    result.assert_outcomes(passed=14)
    assert result.ret == pytest.ExitCode.OK


def test_lossy_rollback_fails_only_its_item_naming_the_lost_rows(
    pytester: pytest.Pytester,
) -> None:
    project(pytester, "plugin_lossy_rollback")
    result = pytester.runpytest("-v")
    assert outcomes(result) == {i: LOSSY_ITEMS.get(i, "PASSED") for i in ALL_IDS}
    text = result.stdout.str()
    assert "data_loss in 0002_tags: rolling it back loses or changes 1 row(s)" in text
    assert re.search(r"users: row id=-?\d+ is lost", text)
    assert "Minimal example (rows inserted first):" in text
    assert "3. roll back 0002_tags.sql" in text
    replay = "migration-harness check db --checks rollback_keeps_data --target sqlite --profile ci"
    assert f"Replay: {replay}" in text
    assert "Traceback" not in text


def test_xdist_gives_the_same_outcomes(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_lossy_rollback")
    serial = outcomes(pytester.runpytest("-v", "-p", "no:cacheprovider"))
    result = pytester.runpytest_subprocess("-v", "-n", "2", "-p", "no:cacheprovider")
    assert "2 workers" in result.stdout.str()
    assert outcomes(result) == serial
    assert len(serial) == 14


def test_junitxml_lists_every_item_with_the_finding(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_lossy_rollback")
    pytester.runpytest("--junitxml=report.xml")
    cases = ET.parse(pytester.path / "report.xml").getroot().iter("testcase")
    by_id = {f"{c.get('classname')}.{c.get('name')}": c for c in cases}
    assert set(by_id) == {i.replace("::", ".") for i in ALL_IDS}
    failure = by_id[LOSSY.replace("::", ".")].find("failure")
    assert failure is not None
    assert "data_loss in 0002_tags" in (failure.get("message") or "")


def test_k_selects_only_rollback_items(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_clean")
    result = pytester.runpytest("--collect-only", "-q", "-k", "rollback")
    assert collected(result) == [i for i in ALL_IDS if "rollback" in i]


def test_lint_item_fails_only_on_error_level_findings_naming_file_and_line(
    pytester: pytest.Pytester,
) -> None:
    project(pytester, "plugin_lossy_rollback")
    result = pytester.runpytest("-v", "-k", "lint")
    assert outcomes(result) == {
        "pyproject.toml::db::0001_users::lint": "PASSED",
        LOSSY_LINT: "FAILED",
    }
    result.stdout.fnmatch_lines(["*db/rollbacks/0002_rollback.sql:9:1: MH204 error: *"])


def test_lf_reruns_only_the_failed_item(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_lossy_rollback")
    pytester.runpytest()
    result = pytester.runpytest("--lf", "-v")
    assert outcomes(result) == LOSSY_ITEMS


def test_x_stops_at_the_failed_item(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_lossy_rollback")
    result = pytester.runpytest("-x")
    result.assert_outcomes(passed=6, failed=1)  # 0001's six items, then 0002's lint


def test_forward_only_set_skips_rollback_items_with_a_reason(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_forward_only")
    result = pytester.runpytest("-rs")
    result.assert_outcomes(passed=10, skipped=4)
    result.stdout.fnmatch_lines(["SKIPPED [[]2[]] *: forward-only set: no rollback to check"])


def test_migration_that_does_not_apply_fails_and_skips_what_it_blocks(
    pytester: pytest.Pytester,
) -> None:
    project(pytester, "plugin_apply_error")
    result = pytester.runpytest("-v", "-rs")
    found = outcomes(result)
    assert [i for i, o in found.items() if o == "FAILED"] == [
        "pyproject.toml::db::0002_tags::lint",  # MH318: lint names the failing statement
        "pyproject.toml::db::0002_tags::apply",
        "pyproject.toml::db::0002_tags::apply_keeps_data",
    ]
    assert [i for i, o in found.items() if o == "SKIPPED"] == [
        "pyproject.toml::db::0002_tags::idempotent",
        "pyproject.toml::db::0002_tags::rollback",
        "pyproject.toml::db::0002_tags::rollback_keeps_data",
        *(f"pyproject.toml::db::0003_user_names::{c}" for c in CHECKS if c != "lint"),
    ]
    result.stdout.fnmatch_lines(
        [
            "MH101 error: apply_error in 0002_tags: does not apply on top of 0001_users: "
            "no such column: *",
            "SKIPPED [[]5[]] db/migrations/0003_user_names.sql:1: not checked: 0002_tags does "
            "not apply, so 0003_user_names cannot be reached (see its apply item)",
        ]
    )


def test_bad_set_is_one_collection_error_naming_the_file(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_clean")
    twin = pytester.path / "db" / "migrations" / "0002_twin.sql"
    twin.write_text("CREATE TABLE twin (id INTEGER PRIMARY KEY);\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["migration-harness: *0002_*.sql: version 0002 also used by *"])


def test_checks_key_limits_the_items(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_clean")
    result = pytester.runpytest("--collect-only", "-q", "--migration-checks", "apply,fk_index")
    assert collected(result) == [i for i in ALL_IDS if i.endswith(("::apply", "fk_index"))]


def test_unconfigured_project_collects_nothing_and_prints_nothing(
    pytester: pytest.Pytester,
) -> None:
    project(pytester, "plugin_clean")
    pytester.makepyprojecttoml("[tool.pytest.ini_options]\naddopts = []\n")
    pytester.makepyfile(test_own="def test_own():\n    pass\n")
    result = pytester.runpytest("-v")
    assert outcomes(result) == {"test_own.py::test_own": "PASSED"}
    # pytest itself lists the installed plugin's distribution, and Hypothesis the profile
    # this suite loaded (the run is in-process); the plugin adds nothing.
    output = re.sub(r"migration-harness-[\d.]+", "", result.stdout.str() + result.stderr.str())
    output = re.sub(r"hypothesis profile .*", "", output)
    assert "migration-harness" not in output
    assert "pyproject.toml::" not in output


@pytest.mark.parametrize(
    ("args", "table", "message"),
    [
        (
            ["--migration-checks", "rolback"],
            None,
            "unknown check 'rolback' (did you mean 'rollback'?)",
        ),
        (["--migrations", "nowhere"], None, "--migrations nowhere: * not found"),
        (["--migration-target", "sqlit"], None, "unknown target 'sqlit' (did you mean 'sqlite'?)"),
        (["--migration-profile", "thorugh"], None, "*(did you mean 'thorough'?)"),
        ([], 'migration = "db"', "*[[]tool.migration-harness[]] migration: unknown key *"),
        (
            [],
            'migrations = "db"\n[tool.migration-harness.columns]\njsn = []',
            "*[[]tool.migration-harness.columns[]] jsn: unknown key (did you mean 'json'?)",
        ),
        ([], 'migrations = "nope"', "*migrations = 'nope': * not found (paths are relative*"),
        ([], 'migrations = "db"\nchecks = "apply"', "*checks = 'apply': must be a list*"),
    ],
)
def test_bad_settings_are_usage_errors(
    pytester: pytest.Pytester, args: list[str], table: str | None, message: str
) -> None:
    project(pytester, "plugin_clean")
    if table is not None:
        pytester.makepyprojecttoml(f"[tool.migration-harness]\n{table}\n")
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: *{message}*"])


USER_TEST = """
from hypothesis import given, settings
from migration_harness.data.strategies import insert


def test_schema_grows(migration_schema):
    assert set(migration_schema(0).tables) == set()
    assert set(migration_schema(1).tables) == {"users"}
    assert set(migration_schema("0002_tags").tables) == {"users", "tags"}


def test_db_at_version(migrated_db):
    db = migrated_db(1)
    db.execute("INSERT INTO users (id, email) VALUES (1, 'a@example.com')")
    assert db.execute("SELECT count(*) FROM users").fetchone() == (1,)
    assert migrated_db(1).execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_datasets_insert_at_version(dataset_strategy, migrated_db):
    @settings(max_examples=5, database=None)
    @given(dataset_strategy(2, ["tags"]))
    def inserts(dataset):
        assert {row.table for row in dataset.rows} <= {"users", "tags"}
        result = insert(migrated_db(2), dataset)
        assert (result.inserted, result.failed) == (len(dataset.rows), ())

    inserts()


def test_unknown_version_is_a_clear_failure(migrated_db):
    migrated_db(9)
"""


def test_fixtures_work_from_a_user_test_file(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_clean")
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest("-v", "test_user.py")
    assert outcomes(result) == {
        "test_user.py::test_schema_grows": "PASSED",
        "test_user.py::test_db_at_version": "PASSED",
        "test_user.py::test_datasets_insert_at_version": "PASSED",
        "test_user.py::test_unknown_version_is_a_clear_failure": "FAILED",
    }
    result.stdout.fnmatch_lines(["*migrated_db(9): *no migration has version 9 (known: 1, 2)*"])


def test_fixtures_say_how_to_configure_when_nothing_is(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user="def test_it(migrated_db):\n    migrated_db(1)\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*migration_engine: no migration set is configured*--migrations*"])


def test_testpaths_elsewhere_still_collects_the_set(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_clean")
    text = (pytester.path / "pyproject.toml").read_text()
    pytester.makepyprojecttoml(text + '\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    pytester.mkdir("tests").joinpath("test_own.py").write_text("def test_own():\n    pass\n")
    result = pytester.runpytest("--collect-only", "-q")
    assert collected(result) == ["tests/test_own.py::test_own", *ALL_IDS]


def test_hypothesis_profile_option_selects_the_profile(pytester: pytest.Pytester) -> None:
    project(pytester, "plugin_clean")
    pytester.makepyprojecttoml('[tool.migration-harness]\nmigrations = "db"\n')
    default = pytester.runpytest("--collect-only")
    chosen = pytester.runpytest("--collect-only", "--hypothesis-profile", "thorough")
    header = "migration-harness: db (target the set's default, profile {}, checks: all)"
    default.stdout.fnmatch_lines([header.format("dev")])
    chosen.stdout.fnmatch_lines([header.format("thorough")])


def test_real_db_set_yields_74_passing_items(pytester: pytest.Pytester) -> None:
    # `--migrations=PATH`, not `--migrations PATH`: pytest takes any existing path among the
    # arguments as a rootdir candidate and would configure itself from /work/main's pyproject.
    result = pytester.runpytest(f"--migrations={REPO / 'db'}", "--migration-profile=ci", "-v")
    found = outcomes(result)
    assert len(found) == 12 * 6 + 2
    assert set(found.values()) == {"PASSED"}
    assert found["pyproject.toml::db::0007_clerk_integration::rollback_keeps_data"] == "PASSED"


def test_plugin_import_does_not_load_hypothesis_or_the_engine() -> None:
    code = (
        "import sys, migration_harness.plugin; "
        "print(sorted(m for m in ('hypothesis', 'migration_harness.checks.engine') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_each_regression_file_is_an_item_failing_while_its_bug_exists(
    pytester: pytest.Pytester,
) -> None:
    shutil.copytree(EXAMPLES / "history_seed_rerun", pytester.path / "db")
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "db"\ntarget = "sqlite"\n'
        'checks = ["apply"]\nprofile = "ci"\n'
    )
    regression = next((pytester.path / "db" / "regressions").glob("*.json"))
    item = f"pyproject.toml::db::regression-{regression.stem}"
    broken = pytester.runpytest("-v")
    assert outcomes(broken)[item] == "FAILED"
    assert f"Replay: migration-harness replay {regression}" in broken.stdout.str()
    (pytester.path / "db" / "migrations" / "0002_roles.sql").write_text(
        "CREATE TABLE IF NOT EXISTS roles(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
        "INSERT OR IGNORE INTO roles(name) VALUES ('admin'), ('member');\n"
    )
    # A fresh process, as the next CI run is: in this one the first run's state stays.
    assert outcomes(pytester.runpytest_subprocess("-v"))[item] == "PASSED"


def test_a_per_migration_checks_regression_is_an_item_failing_until_the_file_is_fixed(
    pytester: pytest.Pytester,
) -> None:
    from click.testing import CliRunner

    from migration_harness.cli import cli

    root = pytester.path / "db"
    shutil.copytree(EXAMPLES / "rebuild_filters_nulls", root)
    args = ["check", str(root), "--checks", "apply_keeps_data", "--target", "sqlite"]
    assert CliRunner().invoke(cli, args).exit_code == 1
    regression = next((root / "regressions").glob("data_loss-*.json"))
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "db"\ntarget = "sqlite"\n'
        'checks = ["apply"]\nprofile = "ci"\n'
    )
    item = f"pyproject.toml::db::regression-{regression.stem}"
    broken = pytester.runpytest("-v")
    assert outcomes(broken)[item] == "FAILED"
    assert "data_loss in 0002_require_phone" in broken.stdout.str()
    (root / "migrations" / "0002_require_phone.sql").write_text(
        "CREATE TABLE contacts_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT);\n"
        "INSERT INTO contacts_new (id, name, phone) SELECT id, name, phone FROM contacts;\n"
        "DROP TABLE contacts;\nALTER TABLE contacts_new RENAME TO contacts;\n"
    )
    assert outcomes(pytester.runpytest("-v"))[item] == "PASSED"


@pytest.mark.parametrize(("keys", "outcome"), [("true", "FAILED"), ("false", "PASSED")])
def test_foreign_keys_key_sets_the_applications_connection(
    pytester: pytest.Pytester, keys: str, outcome: str
) -> None:
    """golang-migrate with `_foreign_keys=1`: the rebuild in 2's wrapped file cascades."""
    shutil.copytree(EXAMPLES / "runner_golang_migrate" / "migrations", pytester.path / "db")
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "db"\ntarget = "golang-migrate"\n'
        f'checks = ["apply_keeps_data"]\nforeign_keys = {keys}\n'
    )
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    item = "pyproject.toml::db::2_artist_name_check::apply_keeps_data"
    assert outcomes(result)[item] == outcome


def test_foreign_keys_option_overrides_the_key(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLES / "runner_golang_migrate" / "migrations", pytester.path / "db")
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "db"\ntarget = "golang-migrate"\n'
        'checks = ["apply_keeps_data"]\nforeign_keys = "sideways"\n'
    )
    bad = pytester.runpytest("-p", "no:cacheprovider")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    assert "foreign_keys must be on or off" in bad.stderr.str()
    # The option wins over the key, as for every other setting: keys on, the rebuild cascades.
    good = pytester.runpytest("-v", "-p", "no:cacheprovider", "--migration-foreign-keys", "on")
    item = "pyproject.toml::db::2_artist_name_check::apply_keeps_data"
    assert outcomes(good)[item] == "FAILED"


def _wrangler_project(pytester: pytest.Pytester, pyproject: str) -> None:
    """A wrangler D1 project: two files, the second one lossy only where keys cascade."""
    migrations = pytester.path / "migrations"
    migrations.mkdir()
    (migrations / "0001_users.sql").write_text(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY,"
        " user_id INTEGER REFERENCES users(id) ON DELETE CASCADE);\n"
    )
    (migrations / "0002_users_name.sql").write_text(
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT);\n"
        "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n"
        "DROP TABLE users;\n"
        "ALTER TABLE users_new RENAME TO users;\n"
    )
    pytester.makepyprojecttoml(pyproject)


@pytest.mark.skipif(shutil.which("node") is None, reason="node not found: the engine needs it")
def test_engine_miniflare_runs_the_items_on_a_local_d1(pytester: pytest.Pytester) -> None:
    """D1 enforces foreign keys: the rebuild's DROP TABLE cascades into posts there."""
    # Through sys.modules: pytester's in-process runs drop the modules they imported, so
    # `from migration_harness.d1 import miniflare` could return a stale copy of the module
    # that a previous run left on the package, not the one the plugin will use.
    import importlib

    miniflare = importlib.import_module("migration_harness.d1.miniflare")

    _wrangler_project(
        pytester,
        '[tool.migration-harness]\nmigrations = "migrations"\nengine = "miniflare"\n'
        'checks = ["apply", "apply_keeps_data"]\n',
    )
    try:
        result = pytester.runpytest("-v", "-p", "no:cacheprovider")
        assert miniflare.shared_workdir() is not None  # the local D1 ran the files
    finally:
        miniflare.shutdown_shared()
    assert "target d1, engine miniflare" in result.stdout.str()
    found = outcomes(result)
    assert found["pyproject.toml::migrations::0001_users::apply"] == "PASSED"
    assert found["pyproject.toml::migrations::0002_users_name::apply_keeps_data"] == "FAILED"
    assert "--engine miniflare" in result.stdout.str()  # in the replay line


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('target = "goose"\n', "the local D1 runs D1's rules only: drop the target goose"),
        ('foreign_keys = "off"\n', "D1 always enforces foreign keys"),
        ('engine_name = "x"\n', "unknown key"),
    ],
)
def test_engine_miniflare_refuses_rules_d1_does_not_follow(
    pytester: pytest.Pytester, extra: str, message: str
) -> None:
    _wrangler_project(
        pytester,
        f'[tool.migration-harness]\nmigrations = "migrations"\nengine = "miniflare"\n{extra}',
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


def test_engine_must_be_known(pytester: pytest.Pytester) -> None:
    _wrangler_project(pytester, '[tool.migration-harness]\nmigrations = "migrations"\n')
    result = pytester.runpytest("-p", "no:cacheprovider", "--migration-engine", "miniflares")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "unknown engine 'miniflares' (did you mean 'miniflare'?)" in result.stderr.str()
