"""sets.discovery: every layout, and every bad input refused before a database is touched."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.errors import (
    BadFileError,
    DiscoveryError,
    DuplicateVersionError,
    OrphanRollbackError,
    UnknownLayoutError,
    UnknownVersionError,
)
from migration_harness.sets.discovery import discover

REPO = Path(__file__).resolve().parent.parent
DB = REPO / "db"
MigrationSetFactory = Callable[..., Path]  # the migration_set fixture

CREATE_A = "CREATE TABLE a(id INTEGER PRIMARY KEY);\n"
CREATE_B = "CREATE TABLE b(id INTEGER PRIMARY KEY);\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- layouts -------------------------------------------------------------------------------


def test_harness_layout_pairs_rollbacks_by_version(migration_set: MigrationSetFactory) -> None:
    root = migration_set({1: (CREATE_A, "DROP TABLE a;\n"), 2: (CREATE_B, "DROP TABLE b;\n")})
    mset = discover(root)
    assert mset.layout == "harness"
    assert mset.rollbacks_dir == root / "rollbacks"
    assert [(m.version, m.name, m.up_sql, m.down_sql) for m in mset.migrations] == [
        (1, "0001_m0001", CREATE_A, "DROP TABLE a;\n"),
        (2, "0002_m0002", CREATE_B, "DROP TABLE b;\n"),
    ]
    assert mset.migrations[0].down_path == root / "rollbacks" / "0001_rollback.sql"


def test_harness_layout_migration_without_rollback_has_none(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (CREATE_A, "DROP TABLE a;\n"), 2: (CREATE_B, None)})
    mset = discover(root)
    assert mset.has_rollbacks
    assert [m.down_sql is None for m in mset.migrations] == [False, True]


def test_harness_layout_is_found_from_the_migrations_folder_itself(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (CREATE_A, "DROP TABLE a;\n")})
    mset = discover(root / "migrations")
    assert (mset.layout, mset.rollbacks_dir) == ("harness", root / "rollbacks")


def test_migrations_are_ordered_by_version_not_file_name(tmp_path: Path) -> None:
    write(tmp_path / "migrations" / "10_late.sql", CREATE_B)
    write(tmp_path / "migrations" / "9_early.sql", CREATE_A)
    assert discover(tmp_path).versions == (9, 10)


def test_wrangler_layout_is_forward_only(tmp_path: Path) -> None:
    write(tmp_path / "migrations" / "0001_create_a.sql", CREATE_A)
    write(tmp_path / "migrations" / "0002_create_b.sql", CREATE_B)
    mset = discover(tmp_path)
    assert mset.layout == "wrangler"
    assert not mset.has_rollbacks
    assert [m.id for m in mset.migrations] == ["0001_create_a.sql", "0002_create_b.sql"]
    assert all(m.down_sql is None for m in mset.migrations)


def test_wrangler_project_defaults_to_d1(tmp_path: Path) -> None:
    config = write(
        tmp_path / "wrangler.toml",
        '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "x"\ndatabase_id = "0"\n'
        'migrations_dir = "sql/d1"\n',
    )
    write(tmp_path / "sql" / "d1" / "0001_create_a.sql", CREATE_A)
    mset = discover(tmp_path)
    assert (mset.layout, mset.default_target) == ("wrangler", "d1")
    assert mset.wrangler_config == config
    assert mset.migrations_dir == tmp_path / "sql" / "d1"


@pytest.mark.parametrize("name", ["wrangler.jsonc", "wrangler.json"])
def test_wrangler_json_project_defaults_to_d1(tmp_path: Path, name: str) -> None:
    """Current Cloudflare templates write wrangler.jsonc: comments and trailing commas."""
    config = write(
        tmp_path / name,
        '{\n  // the D1 binding\n  "name": "app", /* "d1_databases": [] */\n'
        '  "routes": ["https://example.com/*"],\n'
        '  "d1_databases": [\n    {\n      "binding": "DB",\n      "database_id": "abc-1",\n'
        '      "migrations_dir": "sql/d1", // relative to this file\n    },\n  ],\n}\n',
    )
    write(tmp_path / "sql" / "d1" / "0001_create_a.sql", CREATE_A)
    mset = discover(tmp_path)
    assert (mset.layout, mset.default_target, mset.wrangler_config) == ("wrangler", "d1", config)
    assert mset.migrations_dir == tmp_path / "sql" / "d1"
    from migration_harness.cli.common import database_id

    assert database_id(mset) == "abc-1"


def test_unreadable_wrangler_jsonc_is_one_line_naming_the_file(tmp_path: Path) -> None:
    write(tmp_path / "wrangler.jsonc", '{"d1_databases": [}')
    write(tmp_path / "migrations" / "0001_create_a.sql", CREATE_A)
    with pytest.raises(DiscoveryError, match=r"wrangler\.jsonc: not a valid JSON file"):
        discover(tmp_path)


def test_a_d1_project_may_number_two_files_alike_as_wrangler_runs_both(tmp_path: Path) -> None:
    """wrangler tracks files by name and sorts by number, stably (cloudflare/wildebeest has
    two 0008 files): both run, in name order; the versions become positions."""
    write(
        tmp_path / "wrangler.toml",
        '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "x"\ndatabase_id = "0"\n',
    )
    for name in ("0007_peers.sql", "0008_relays.sql", "0008_server-settings.sql", "0010_x.sql"):
        write(tmp_path / "migrations" / name, CREATE_A if name == "0007_peers.sql" else CREATE_B)
    mset = discover(tmp_path)
    assert [m.id for m in mset.migrations] == [
        "0007_peers.sql",
        "0008_relays.sql",
        "0008_server-settings.sql",
        "0010_x.sql",
    ]
    assert mset.versions == (1, 2, 3, 4)
    # Without a wrangler project the files are run by a script in name order: both run.
    (tmp_path / "wrangler.toml").unlink()
    assert [m.id for m in discover(tmp_path).migrations][1:3] == [
        "0008_relays.sql",
        "0008_server-settings.sql",
    ]


def test_plain_folder_defaults_to_sqlite(tmp_path: Path) -> None:
    write(tmp_path / "migrations" / "0001_create_a.sql", CREATE_A)
    mset = discover(tmp_path)
    assert (mset.default_target, mset.wrangler_config) == ("sqlite", None)


def test_updown_layout_pairs_up_and_down_files(tmp_path: Path) -> None:
    write(tmp_path / "001_create_a.up.sql", CREATE_A)
    write(tmp_path / "001_create_a.down.sql", "DROP TABLE a;\n")
    write(tmp_path / "002_create_b.up.sql", CREATE_B)
    write(tmp_path / "002_create_b.down.sql", "DROP TABLE b;\n")
    mset = discover(tmp_path)
    assert mset.layout == "updown"
    assert [(m.version, m.name, m.id, m.down_sql) for m in mset.migrations] == [
        (1, "001_create_a", "001_create_a.up.sql", "DROP TABLE a;\n"),
        (2, "002_create_b", "002_create_b.up.sql", "DROP TABLE b;\n"),
    ]
    assert mset.migrations[0].down_path == tmp_path / "001_create_a.down.sql"


def test_updown_layout_missing_down_file_gives_no_rollback(tmp_path: Path) -> None:
    write(tmp_path / "001_create_a.up.sql", CREATE_A)
    write(tmp_path / "001_create_a.down.sql", "DROP TABLE a;\n")
    write(tmp_path / "002_create_b.up.sql", CREATE_B)
    second = discover(tmp_path).migrations[1]
    assert (second.down_sql, second.down_path) == (None, None)


@pytest.mark.parametrize("down", ["", "-- irreversible\n", "\n/* nothing to undo */\n"])
def test_updown_blank_down_file_is_no_rollback_not_an_error(tmp_path: Path, down: str) -> None:
    write(tmp_path / "001_create_a.up.sql", CREATE_A)
    down_path = write(tmp_path / "001_create_a.down.sql", down)
    migration = discover(tmp_path).migrations[0]
    assert (migration.down_sql, migration.down_path) == (None, down_path)


@pytest.mark.parametrize("down", ["", "-- irreversible\n"])
def test_harness_blank_rollback_file_is_no_rollback_not_an_error(
    migration_set: MigrationSetFactory, down: str
) -> None:
    root = migration_set({1: (CREATE_A, down)})
    assert discover(root).migrations[0].down_sql is None


DBMATE_FILE = (
    "-- migrate:up transaction:false\n"
    "CREATE TABLE a(id INTEGER PRIMARY KEY);\n"
    "\n"
    "-- migrate:down\n"
    "DROP TABLE a;\n"
)


def test_dbmate_layout_splits_up_and_down_sections(tmp_path: Path) -> None:
    write(tmp_path / "db" / "migrations" / "20240101120000_create_a.sql", DBMATE_FILE)
    mset = discover(tmp_path)
    migration = mset.migrations[0]
    assert mset.layout == "dbmate"
    assert (migration.version, migration.name) == (20240101120000, "20240101120000_create_a")
    # Each section sits on its lines of the file (blank lines above), so that errors
    # name the file's line.
    lines = DBMATE_FILE.splitlines()
    up_at = next(i for i, t in enumerate(lines) if t.startswith("CREATE"))
    down_at = next(i for i, t in enumerate(lines) if t.startswith("DROP"))
    assert migration.up_sql == "\n" * up_at + "CREATE TABLE a(id INTEGER PRIMARY KEY);"
    assert migration.down_sql == "\n" * down_at + "DROP TABLE a;"


def test_dbmate_transaction_option_is_captured_in_up_options(tmp_path: Path) -> None:
    write(tmp_path / "20240101120000_create_a.sql", DBMATE_FILE)
    migration = discover(tmp_path).migrations[0]
    assert dict(migration.up_options) == {"transaction": False}
    assert dict(migration.down_options) == {}


def test_dbmate_empty_down_section_is_no_rollback(tmp_path: Path) -> None:
    write(tmp_path / "1_a.sql", "-- migrate:up\nCREATE TABLE a(x);\n-- migrate:down\n\n")
    assert discover(tmp_path).migrations[0].down_sql is None


def test_explicit_migrations_and_rollbacks_folders(tmp_path: Path) -> None:
    write(tmp_path / "forward" / "0001_create_a.sql", CREATE_A)
    write(tmp_path / "backward" / "0001_undo.sql", "DROP TABLE a;\n")
    mset = discover(tmp_path, migrations=tmp_path / "forward", rollbacks=tmp_path / "backward")
    assert (mset.layout, mset.migrations_dir, mset.rollbacks_dir) == (
        "harness",
        tmp_path / "forward",
        tmp_path / "backward",
    )
    assert mset.migrations[0].down_sql == "DROP TABLE a;\n"


def test_explicit_rollbacks_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "forward" / "0001_create_a.sql", CREATE_A)
    with pytest.raises(DiscoveryError, match="nowhere: rollbacks folder does not exist"):
        discover(tmp_path, migrations=tmp_path / "forward", rollbacks=tmp_path / "nowhere")


def test_real_db_folder_is_the_harness_layout_with_twelve_migrations() -> None:
    mset = discover(DB)
    assert mset.layout == "harness"
    assert mset.versions == tuple(range(1, 13))
    assert all(m.down_sql is not None for m in mset.migrations)
    assert mset.migrations[6].id == "0007_clerk_integration.sql"


def test_real_db_folder_defaults_to_d1_because_of_the_repo_wrangler_toml() -> None:
    mset = discover(DB)
    assert (mset.default_target, mset.wrangler_config) == ("d1", REPO / "wrangler.toml")


def test_copy_of_db_without_wrangler_toml_defaults_to_sqlite(tmp_path: Path) -> None:
    copy = shutil.copytree(DB, tmp_path / "db")
    mset = discover(copy)
    assert (mset.layout, len(mset.migrations)) == ("harness", 12)
    assert (mset.default_target, mset.wrangler_config) == ("sqlite", None)


def test_index_of_unknown_version_lists_known_versions(
    migration_set: MigrationSetFactory,
) -> None:
    mset = discover(migration_set({1: (CREATE_A, None), 2: (CREATE_B, None)}))
    with pytest.raises(UnknownVersionError, match=r"no migration has version 7 \(known: 1, 2\)"):
        mset.index_of(7)


# --- bad input -----------------------------------------------------------------------------


def test_two_forward_files_with_one_number_both_run_in_name_order(tmp_path: Path) -> None:
    """Plain files run one after another (a script over migrations/*.sql): both run."""
    write(tmp_path / "migrations" / "0001_a.sql", CREATE_A)
    write(tmp_path / "migrations" / "0001_b.sql", CREATE_B)
    write(tmp_path / "migrations" / "0002_c.sql", "CREATE TABLE c (id INTEGER PRIMARY KEY);")
    mset = discover(tmp_path)
    assert [m.id for m in mset.migrations] == ["0001_a.sql", "0001_b.sql", "0002_c.sql"]


def test_two_migrations_with_one_version_and_rollbacks_are_refused(tmp_path: Path) -> None:
    """Rollbacks pair by version: a shared number leaves the pairing ambiguous."""
    write(tmp_path / "migrations" / "0001_a.sql", CREATE_A)
    second = write(tmp_path / "migrations" / "0001_b.sql", CREATE_B)
    write(tmp_path / "rollbacks" / "0001_rollback.sql", "DROP TABLE a;")
    with pytest.raises(DuplicateVersionError) as excinfo:
        discover(tmp_path)
    assert str(excinfo.value) == f"{second}: version 0001 also used by 0001_a.sql; rename one"


def test_two_rollbacks_with_one_version_are_refused(migration_set: MigrationSetFactory) -> None:
    root = migration_set({1: (CREATE_A, "DROP TABLE a;\n")})
    write(root / "rollbacks" / "0001_again.sql", "DROP TABLE a;\n")
    with pytest.raises(DuplicateVersionError) as excinfo:
        discover(root)
    assert str(excinfo.value) == (
        f"{root / 'rollbacks' / '0001_rollback.sql'}: version 1 also used by 0001_again.sql; "
        "keep one rollback per version"
    )


def test_two_up_files_with_one_version_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "001_a.up.sql", CREATE_A)
    second = write(tmp_path / "001_b.up.sql", CREATE_B)
    with pytest.raises(DuplicateVersionError, match=re.escape(str(second))):
        discover(tmp_path)


def test_rollback_without_migration_is_refused(migration_set: MigrationSetFactory) -> None:
    root = migration_set({1: (CREATE_A, None)})
    orphan = write(root / "rollbacks" / "0002_rollback.sql", "DROP TABLE b;\n")
    with pytest.raises(OrphanRollbackError) as excinfo:
        discover(root)
    assert str(excinfo.value).startswith(f"{orphan}: rollback for version 2, which has no ")


def test_down_file_without_up_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "001_a.up.sql", CREATE_A)
    orphan = write(tmp_path / "002_b.down.sql", "DROP TABLE b;\n")
    with pytest.raises(OrphanRollbackError, match=re.escape(str(orphan))):
        discover(tmp_path)


def test_empty_migration_file_is_refused(tmp_path: Path) -> None:
    empty = write(tmp_path / "migrations" / "0001_a.sql", "")
    with pytest.raises(BadFileError) as excinfo:
        discover(tmp_path)
    assert str(excinfo.value).startswith(f"{empty}: file is empty")


def test_comment_only_migration_file_is_an_empty_migration(tmp_path: Path) -> None:
    # wrangler's `d1 migrations create` writes only its `-- Migration number:` header;
    # wrangler (and `sqlite3 < file`) run such a file as nothing and record it.
    write(tmp_path / "migrations" / "0001_a.sql", CREATE_A)
    write(tmp_path / "migrations" / "0002_b.sql", "-- Migration number: 0002\n-- TODO; /* */\n")
    assert [m.name for m in discover(tmp_path).migrations] == ["0001_a", "0002_b"]


def test_comment_only_prisma_migration_is_an_empty_migration(tmp_path: Path) -> None:
    # `prisma migrate dev --create-only` with nothing to change writes this line, and
    # the SQLite connector's execute_batch runs it as no statement.
    root = tmp_path / "prisma" / "migrations"
    write(root / "migration_lock.toml", 'provider = "sqlite"\n')
    write(root / "20240101000000_init" / "migration.sql", CREATE_A)
    write(root / "20240102000000_noop" / "migration.sql", "-- This is an empty migration.")
    assert len(discover(root).migrations) == 2


def test_non_utf8_migration_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "migrations" / "0001_a.sql", b"SELECT '\xff';\n")
    with pytest.raises(BadFileError) as excinfo:
        discover(tmp_path)
    assert str(excinfo.value).startswith(f"{path}: not valid UTF-8 at byte 8")


def test_non_utf8_rollback_file_is_refused(migration_set: MigrationSetFactory) -> None:
    root = migration_set({1: (CREATE_A, "DROP TABLE a;\n")})
    path = write(root / "rollbacks" / "0001_rollback.sql", b"DROP TABLE \xe9;\n")
    with pytest.raises(BadFileError, match=re.escape(str(path))):
        discover(root)


def test_utf8_bom_is_accepted_and_removed(tmp_path: Path) -> None:
    write(tmp_path / "migrations" / "0001_a.sql", b"\xef\xbb\xbf" + CREATE_A.encode())
    assert discover(tmp_path).migrations[0].up_sql == CREATE_A


def test_folder_without_sql_files_is_an_unknown_layout(tmp_path: Path) -> None:
    write(tmp_path / "README.md", "no migrations here\n")
    with pytest.raises(UnknownLayoutError) as excinfo:
        discover(tmp_path)
    assert str(excinfo.value).startswith(f"{tmp_path}: no .sql migration files found")


def test_unversioned_file_name_is_an_unknown_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "create_users.sql", CREATE_A)
    with pytest.raises(UnknownLayoutError) as excinfo:
        discover(tmp_path)
    assert str(excinfo.value).startswith(f"{path}: file name does not start with a version")


def test_plain_file_beside_up_down_files_is_sqlx(tmp_path: Path) -> None:
    # golang-migrate ignores a file without .up/.down; sqlx runs it as a simple migration.
    write(tmp_path / "001_a.up.sql", CREATE_A)
    write(tmp_path / "002_b.sql", CREATE_B)
    mset = discover(tmp_path)
    assert (mset.layout, mset.default_target, mset.versions) == ("sqlx", "sqlx", (1, 2))


def test_golang_migrate_never_runs_a_plain_file_beside_up_down_files(tmp_path: Path) -> None:
    """Under --target golang-migrate the folder is read as golang-migrate lists it: a
    name it cannot parse is skipped (and named in a note), so a later file that needs
    what it creates fails in the check as in production (it was run as sqlx runs it)."""
    write(tmp_path / "001_a.up.sql", CREATE_A)
    write(tmp_path / "002_b.sql", CREATE_B)
    write(tmp_path / "003_c.up.sql", CREATE_A.replace("a", "c"))
    mset = discover(tmp_path, target="golang-migrate")
    assert (mset.layout, mset.versions) == ("updown", (1, 3))
    assert mset.notes == (
        "golang-migrate never runs 002_b.sql: its name ends in neither .up.sql nor "
        ".down.sql, and golang-migrate skips files whose names it cannot parse (rename it "
        "NNN_name.up.sql)",
    )


def test_stray_file_in_forced_updown_set_is_an_unknown_layout(tmp_path: Path) -> None:
    write(tmp_path / "001_a.up.sql", CREATE_A)
    stray = write(tmp_path / "002_b.sql", CREATE_B)
    with pytest.raises(UnknownLayoutError, match=re.escape(str(stray))):
        discover(tmp_path, layout="updown")


def test_unknown_forced_layout_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "0001_a.sql", CREATE_A)
    with pytest.raises(UnknownLayoutError, match="rails: unknown layout"):
        discover(tmp_path, layout="rails")


def test_path_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(DiscoveryError) as excinfo:
        discover(missing)
    assert excinfo.type is DiscoveryError
    assert str(excinfo.value).startswith(f"{missing}: path does not exist")


def test_unterminated_string_is_read_for_the_checks_to_report(tmp_path: Path) -> None:
    # SQLite fails on it as production does: an apply_error finding, not a refusal.
    write(tmp_path / "migrations" / "0001_a.sql", "CREATE TABLE a(x);\nSELECT 'oops;\n")
    (migration,) = discover(tmp_path).migrations
    assert migration.up_sql.endswith("SELECT 'oops;\n")


def test_unterminated_string_in_rollback_is_read(migration_set: MigrationSetFactory) -> None:
    root = migration_set({1: (CREATE_A, "DROP TABLE 'a;\n")})
    (migration,) = discover(root).migrations
    assert migration.down_sql == "DROP TABLE 'a;\n"


def test_dbmate_file_with_two_up_sections_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "1_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 2;\n")
    with pytest.raises(BadFileError, match="'-- migrate:up' appears twice") as excinfo:
        discover(tmp_path)
    assert str(path) in str(excinfo.value)


def test_a_file_golang_migrate_skips_makes_the_next_one_fail_in_the_check(
    tmp_path: Path,
) -> None:
    from migration_harness.checks.run import check_set
    from migration_harness.sets.targets import TARGETS

    write(tmp_path / "001_a.up.sql", CREATE_A)
    write(tmp_path / "002_add_b.sql", "ALTER TABLE a ADD COLUMN b TEXT;\n")
    write(tmp_path / "003_b_index.up.sql", "CREATE INDEX a_b ON a(b);\n")
    mset = discover(tmp_path, target="golang-migrate")
    run = check_set(mset, TARGETS["golang-migrate"], profile="ci", checks=["apply"])
    failed = [f for f in run.findings if f.kind == "apply_error"]
    assert [(f.migration, f.code) for f in failed] == [("003_b_index", "MH101")]
    assert "no such column: b" in failed[0].message


def test_flyway_names_a_file_it_never_runs(tmp_path: Path) -> None:
    """V2_add_b.sql has one underscore: Flyway skips it silently, the note says so."""
    write(tmp_path / "V1__a.sql", CREATE_A)
    write(tmp_path / "V2_add_b.sql", CREATE_B)
    write(tmp_path / "seed.sql", "INSERT INTO a VALUES (1);\n")
    mset = discover(tmp_path)
    assert (mset.layout, mset.versions) == ("flyway", (1,))
    assert [n.split(":")[0] for n in mset.notes] == ["Flyway never runs V2_add_b.sql"]


def test_golang_migrate_runs_a_name_its_pattern_matches(tmp_path: Path) -> None:
    """stash's 30_ignore_autotag.up..sql matches golang-migrate's pattern (extension
    '.sql'), so it runs; only the unparseable plain file is skipped."""
    write(tmp_path / "001_a.up.sql", CREATE_A)
    write(tmp_path / "002_b.up..sql", CREATE_B)
    write(tmp_path / "003_c.sql", "CREATE TABLE c(id INTEGER PRIMARY KEY);\n")
    mset = discover(tmp_path, target="golang-migrate")
    assert mset.versions == (1, 2)
    assert [n.split(":")[0] for n in mset.notes] == ["golang-migrate never runs 003_c.sql"]
