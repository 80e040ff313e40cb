"""A shipped migration renamed by a later commit (MH332/MH333), built in git repositories.

owasp-amass/asset-db 71d8253 renamed ``20230217121325-init.sql`` to ``001_schema_init.sql``
under sql-migrate, which refuses a recorded id no file has ("unknown migration in
database"): every database of the earlier release stops at start, and nothing said so.
One planted rename per consequence (refused; re-run that fails; re-run that passes) and
clean twins: the version kept under a runner keyed by version, a rename before any
release, a Flyway repeatable.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from migration_harness.cli import cli
from migration_harness.lint import lint_set
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import discover
from migration_harness.sets.renames import key_of_name, renamed_files
from migration_harness.sets.targets import TARGETS
from tests.test_shipgroups import _git, needs_git

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
GUARDED = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT);\n"
POSTS = "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);\n"


def _history(root: Path, first: dict[str, str], renames: dict[str, str], *, tag: str = "") -> Path:
    """``first`` committed, ``tag`` put on it when given, then ``renames`` (``git mv``)
    committed with one new file: the set's folder.
    """
    folder = root / "migrations"
    folder.mkdir()
    for name, sql in first.items():
        (folder / name).write_text(sql)
    _git(root, "init", "-q", ".")
    _git(root, "add", "migrations")
    _git(root, "commit", "-q", "-m", "first release")
    if tag:
        _git(root, "tag", tag)
    for old, new in renames.items():
        _git(root, "mv", f"migrations/{old}", f"migrations/{new}")
    extra = _extra(first)
    (folder / extra[0]).write_text(extra[1])
    _git(root, "add", "migrations")
    _git(root, "commit", "-q", "-m", "rename, and a new file")
    return folder


def _extra(first: dict[str, str]) -> tuple[str, str]:
    """A second file named like the set's first, so the layout stays the same."""
    name = next(iter(first))
    if name.startswith("V"):
        return "V9__posts.sql", POSTS
    if name.endswith(".up.sql"):
        return "0009_posts.up.sql", POSTS
    if "+goose" in first[name]:
        return "00009_posts.sql", f"-- +goose Up\n{POSTS}"
    if "+migrate" in first[name]:
        return "009_posts.sql", f"-- +migrate Up\n{POSTS}"
    return "0009_posts.sql", POSTS


def _lint(folder: Path, target: str, mode: str = "git") -> list[Finding]:
    mset = discover(folder, target=target)
    tgt = TARGETS[target]
    renames = renamed_files(mset, target, tgt.tracking.key_style, mode)
    found = lint_set(mset, tgt, renames=renames)
    return [f for f in found if f.kind == "renamed-shipped-migration"]


SQL_MIGRATE = {"20230217121325-init.sql": f"-- +migrate Up\n{GUARDED}"}


@needs_git
def test_sql_migrate_rename_stops_every_earlier_database(tmp_path: Path) -> None:
    folder = _history(tmp_path, SQL_MIGRATE, {"20230217121325-init.sql": "001_schema_init.sql"})
    found = _lint(folder, "sql-migrate")
    assert [f.code for f in found] == ["MH332"]
    assert "20230217121325-init.sql" in found[0].message
    assert "001_schema_init.sql" in found[0].message
    assert "unknown migration in database" in found[0].message
    assert found[0].file is not None
    assert found[0].file.endswith("001_schema_init.sql")


@needs_git
def test_without_the_git_history_nothing_is_said(tmp_path: Path) -> None:
    """The finding comes from the renames alone: lint_set without them stays quiet."""
    folder = _history(tmp_path, SQL_MIGRATE, {"20230217121325-init.sql": "001_schema_init.sql"})
    mset = discover(folder, target="sql-migrate")
    found = lint_set(mset, TARGETS["sql-migrate"])
    assert [f for f in found if f.kind == "renamed-shipped-migration"] == []


@needs_git
def test_cli_lint_reports_the_rename_and_exits_1(tmp_path: Path) -> None:
    folder = _history(tmp_path, SQL_MIGRATE, {"20230217121325-init.sql": "001_schema_init.sql"})
    result = CliRunner().invoke(cli, ["lint", str(folder), "--target", "sql-migrate"])
    assert result.exit_code == 1, result.output
    assert "MH332" in result.output
    off = ["lint", str(folder), "--target", "sql-migrate", "--ship-groups", "off"]
    quiet = CliRunner().invoke(cli, off)
    assert "MH332" not in quiet.output


@needs_git
def test_wrangler_reruns_a_renamed_file_that_fails_the_second_time(tmp_path: Path) -> None:
    folder = _history(tmp_path, {"0001_init.sql": USERS}, {"0001_init.sql": "0001_users.sql"})
    found = _lint(folder, "d1")
    assert [f.code for f in found] == ["MH332"]
    assert "already exists" in found[0].message


@needs_git
def test_wrangler_rerun_that_passes_is_a_warning(tmp_path: Path) -> None:
    folder = _history(tmp_path, {"0001_init.sql": GUARDED}, {"0001_init.sql": "0001_users.sql"})
    assert [f.code for f in _lint(folder, "d1")] == ["MH333"]


GOOSE = {"00001_users.sql": f"-- +goose Up\n{USERS}"}


@needs_git
def test_goose_rename_keeping_the_version_is_quiet(tmp_path: Path) -> None:
    folder = _history(tmp_path, GOOSE, {"00001_users.sql": "00001_create_users.sql"})
    assert _lint(folder, "goose") == []


@needs_git
def test_goose_rename_changing_the_version_reruns_the_file(tmp_path: Path) -> None:
    folder = _history(tmp_path, GOOSE, {"00001_users.sql": "00002_users.sql"})
    assert [f.code for f in _lint(folder, "goose")] == ["MH332"]


@needs_git
def test_a_rerun_runs_the_file_as_its_runner_sends_it(tmp_path: Path) -> None:
    """micrate runs only the first statement of a StatementBegin chunk: the re-run passes.

    The whole text run as one script also ran the chunk's second, unguarded CREATE, whose
    second run fails: the rename read as the MH332 error production never meets.
    """
    chunk = (
        f"-- +micrate Up\n-- +micrate StatementBegin\n{GUARDED}{POSTS}-- +micrate StatementEnd\n"
    )
    folder = _history(tmp_path, {"001_init.sql": chunk}, {"001_init.sql": "002_init.sql"})
    assert [f.code for f in _lint(folder, "micrate")] == ["MH333"]


@needs_git
def test_golang_migrate_rename_keeping_the_version_is_quiet(tmp_path: Path) -> None:
    files = {"0001_users.up.sql": USERS, "0001_users.down.sql": "DROP TABLE users;\n"}
    moves = {"0001_users.up.sql": "0001_init.up.sql", "0001_users.down.sql": "0001_init.down.sql"}
    assert _lint(_history(tmp_path, files, moves), "golang-migrate") == []


@needs_git
def test_flyway_description_change_fails_validate(tmp_path: Path) -> None:
    folder = _history(tmp_path, {"V1__users.sql": USERS}, {"V1__users.sql": "V1__init.sql"})
    found = _lint(folder, "flyway")
    assert [f.code for f in found] == ["MH332"]
    assert "validate" in found[0].message


@needs_git
def test_flyway_repeatable_rename_is_quiet(tmp_path: Path) -> None:
    files = {"V1__users.sql": USERS, "R__names.sql": "CREATE VIEW IF NOT EXISTS n AS SELECT 1;\n"}
    folder = _history(tmp_path, files, {"R__names.sql": "R__user_names.sql"})
    assert _lint(folder, "flyway") == []


@needs_git
def test_refinery_name_change_is_divergent(tmp_path: Path) -> None:
    folder = _history(tmp_path, {"V1__users.sql": USERS}, {"V1__users.sql": "V1__init.sql"})
    found = _lint(folder, "refinery")
    assert [f.code for f in found] == ["MH332"]
    assert "DivergentVersion" in found[0].message


def _released_later(root: Path) -> Path:
    """The file added, renamed, and only then released (v1.0), then one more release."""
    folder = _history(root, SQL_MIGRATE, {"20230217121325-init.sql": "001_schema_init.sql"})
    _git(root, "tag", "v1.0")
    return folder


@needs_git
def test_a_rename_before_any_release_is_quiet_under_tags(tmp_path: Path) -> None:
    folder = _released_later(tmp_path)
    assert _lint(folder, "sql-migrate", "tags") == []
    assert [f.code for f in _lint(folder, "sql-migrate", "git")] == ["MH332"]


@needs_git
def test_a_rename_after_a_release_is_reported_under_tags(tmp_path: Path) -> None:
    old = {"20230217121325-init.sql": "001_schema_init.sql"}
    folder = _history(tmp_path, SQL_MIGRATE, old, tag="v0.1.0")
    _git(tmp_path, "tag", "v0.2.0")
    assert [f.code for f in _lint(folder, "sql-migrate", "tags")] == ["MH332"]


@needs_git
def test_an_untracked_set_has_no_key_to_break(tmp_path: Path) -> None:
    folder = _history(tmp_path, {"0001_init.sql": USERS}, {"0001_init.sql": "0001_users.sql"})
    result = CliRunner().invoke(cli, ["lint", str(folder), "--target", "d1", "--untracked"])
    assert "MH33" not in result.output.replace("MH330", "").replace("MH331", "")


def test_keys_read_from_names() -> None:
    assert key_of_name("0001_users.up.sql", "golang-migrate") == "1"
    assert key_of_name("00001_users.sql", "goose") == key_of_name("1_init.sql", "goose")
    assert key_of_name("0001_x.sql", "dbmate") != key_of_name("1_x.sql", "dbmate")
    flyway = key_of_name("V1_1__Add_users.sql", "flyway")
    assert flyway == key_of_name("V1.1__Add users.sql", "flyway")
    assert key_of_name("R__views.sql", "flyway") is None
    assert key_of_name("20240101_init/migration.sql", "prisma") == "20240101_init"
    assert key_of_name("2024-01-01-000000_x/up.sql", "diesel") == "20240101000000"
    assert key_of_name("a.sql", "sql-migrate") != key_of_name("b.sql", "sql-migrate")


def _branch(root: Path, *, add_on_main: bool) -> Path:
    """A file renamed on a branch merged with ``--no-ff``; added on main or on the branch."""
    folder = root / "migrations"
    folder.mkdir()
    (folder / "0001_base.sql").write_text(POSTS)
    _git(root, "init", "-q", "-b", "main", ".")
    _git(root, "add", "migrations")
    _git(root, "commit", "-q", "-m", "base")
    if add_on_main:
        (folder / "0002_users.sql").write_text(USERS)
        _git(root, "add", "migrations")
        _git(root, "commit", "-q", "-m", "users, deployed from main")
    _git(root, "checkout", "-q", "-b", "feature")
    if not add_on_main:
        (folder / "0002_users.sql").write_text(USERS)
        _git(root, "add", "migrations")
        _git(root, "commit", "-q", "-m", "users, on the branch")
    _git(root, "mv", "migrations/0002_users.sql", "migrations/0003_users.sql")
    _git(root, "commit", "-q", "-m", "renumber before merging")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    return folder


@needs_git
def test_a_file_renumbered_on_its_branch_before_the_merge_is_quiet(tmp_path: Path) -> None:
    assert _lint(_branch(tmp_path, add_on_main=False), "d1") == []


@needs_git
def test_a_file_main_shipped_then_renamed_on_a_branch_is_reported(tmp_path: Path) -> None:
    assert [f.code for f in _lint(_branch(tmp_path, add_on_main=True), "d1")] == ["MH332"]
