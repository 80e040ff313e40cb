"""golang-migrate under x-no-tx-wrap=true (``tx_wrap = "off"``): files run as written.

pocket-id opens golang-migrate's sqlite3 driver with ``NoTxWrap: true`` and its first file
holds its own ``BEGIN; ... COMMIT;``: under the driver's default wrap that file cannot run
("cannot start a transaction within a transaction"), so checking it as wrapped reports a
failure production never has.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from migration_harness.cli import cli

SELF_MANAGED = (
    "PRAGMA foreign_keys=OFF;\nBEGIN;\n"
    "CREATE TABLE users (id TEXT NOT NULL PRIMARY KEY, name TEXT);\n"
    "COMMIT;\nPRAGMA foreign_keys=ON;\n"
)


def _set(tmp_path: Path, up: str, config: str = "") -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "1_init.up.sql").write_text(up)
    (root / "migrations" / "1_init.down.sql").write_text("DROP TABLE users;\n")
    if config:
        (root / "pyproject.toml").write_text(f"[tool.migration-harness]\n{config}\n")
    return root


def _check(root: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        cli, ["check", str(root), "--profile", "dev", "--no-regressions", *extra]
    )


def test_wrapped_by_default_a_self_managed_file_cannot_run(tmp_path: Path) -> None:
    result = _check(_set(tmp_path, SELF_MANAGED))
    assert result.exit_code == 1
    assert "cannot start a transaction within a transaction" in result.output


def test_no_tx_wrap_runs_the_file_as_written_and_its_rerun_is_a_note(tmp_path: Path) -> None:
    result = _check(_set(tmp_path, SELF_MANAGED, 'tx_wrap = "off"'))
    assert result.exit_code == 0, result.output
    assert "MH112 note: not_idempotent" in result.output
    assert "all-or-nothing" in result.output


def test_no_tx_wrap_file_without_its_own_transaction_can_half_apply(tmp_path: Path) -> None:
    """golang-migrate marks the version dirty and halts: a warning naming the manual step.

    The second file's UNIQUE index fails on duplicate names after its ADD COLUMN has run
    (a file whose later statements cannot fail on rows is a note: checks/retry.py). Only
    the re-run check runs: the set also holds a real round-trip defect (two users named
    alike with NULL handles break the UNIQUE index when the file runs again after its
    rollback), which a random example finds only some of the time.
    """
    root = _set(tmp_path, "CREATE TABLE users (id TEXT NOT NULL PRIMARY KEY, name TEXT);\n")
    (root / "migrations" / "2_handles.up.sql").write_text(
        "ALTER TABLE users ADD COLUMN handle TEXT;\n"
        "UPDATE users SET handle = lower(name);\n"
        "CREATE UNIQUE INDEX users_handle ON users (handle);\n"
    )
    (root / "migrations" / "2_handles.down.sql").write_text(
        "DROP INDEX users_handle;\nALTER TABLE users DROP COLUMN handle;\n"
    )
    result = _check(root, "--tx-wrap", "off", "--checks", "apply,idempotent")
    assert result.exit_code == 0, result.output
    assert "MH113 warning: not_idempotent" in result.output
    assert "golang-migrate stops until someone resolves it (migrate force" in result.output


def test_a_runner_that_just_runs_the_file_again_keeps_it_an_error(tmp_path: Path) -> None:
    """goose NO TRANSACTION: nothing is recorded on failure, the next run repeats it.

    The UNIQUE index fails on two accounts of one name after ``users`` exists; goose's
    next run then fails at ``CREATE TABLE users``. (A table and a plain index on it alone
    cannot stop half-way: a note, checks/retry.py.)
    """
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "00001_accounts.sql").write_text(
        "-- +goose Up\nCREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY, name TEXT);\n"
        "-- +goose Down\nDROP TABLE accounts;\n"
    )
    (root / "migrations" / "00002_users.sql").write_text(
        "-- +goose NO TRANSACTION\n-- +goose Up\n"
        "CREATE TABLE users (id TEXT NOT NULL PRIMARY KEY, name TEXT);\n"
        "INSERT INTO users (id, name) SELECT id, name FROM accounts;\n"
        "CREATE UNIQUE INDEX users_name ON users (name);\n"
        "-- +goose Down\nDROP TABLE users;\n"
    )
    result = _check(root, "--checks", "apply,idempotent")
    assert result.exit_code == 1, result.output
    assert "MH111 error: not_idempotent in 00002_users" in result.output


def test_a_runner_without_a_connection_switch_refuses_it(tmp_path: Path) -> None:
    result = _check(_set(tmp_path, SELF_MANAGED), "--tx-wrap", "off", "--target", "sqlx")
    assert result.exit_code == 2
    assert "sqlx has no per-connection switch" in result.output


def test_an_unknown_value_is_a_one_line_error(tmp_path: Path) -> None:
    result = _check(_set(tmp_path, SELF_MANAGED, 'tx_wrap = "no"'))
    assert result.exit_code == 2
    assert "tx_wrap = 'no' is not allowed" in result.output


def test_prisma_never_wraps_and_halts_on_a_failed_migration(tmp_path: Path) -> None:
    """Prisma records the failure (P3009) until `prisma migrate resolve`: a warning."""
    root = tmp_path / "prisma" / "migrations"
    (root / "20240101000000_init").mkdir(parents=True)
    (root / "migration_lock.toml").write_text('provider = "sqlite"\n')
    (root / "20240101000000_init" / "migration.sql").write_text(
        'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\n'
    )
    # the second file's UNIQUE index fails on duplicate e-mails after its first statement
    (root / "20240102000000_email_key").mkdir()
    (root / "20240102000000_email_key" / "migration.sql").write_text(
        'ALTER TABLE "User" ADD COLUMN "name" TEXT;\n'
        'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n'
    )
    result = _check(root)
    assert result.exit_code == 1, result.output  # the duplicate e-mails: MH101
    assert "MH113 warning: not_idempotent" in result.output
    assert "prisma migrate resolve --rolled-back" in result.output


def test_a_prisma_file_of_one_statement_cannot_half_apply(tmp_path: Path) -> None:
    """SQLite applies one statement whole or not at all: no half for a retry to repeat."""
    root = tmp_path / "prisma" / "migrations"
    (root / "20240101000000_init").mkdir(parents=True)
    (root / "migration_lock.toml").write_text('provider = "sqlite"\n')
    (root / "20240101000000_init" / "migration.sql").write_text(
        'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\n'
    )
    result = _check(root)
    assert result.exit_code == 0, result.output
    assert "MH113" not in result.output
    assert "MH112 note: not_idempotent" in result.output


def test_lint_takes_tx_wrap_as_check_does(tmp_path: Path) -> None:
    """lint reads the runner the same way: --tx-wrap off, or tx_wrap in the config."""
    root = _set(tmp_path, SELF_MANAGED)
    wrapped = CliRunner().invoke(cli, ["lint", str(root)])
    unwrapped = CliRunner().invoke(cli, ["lint", str(root), "--tx-wrap", "off"])
    assert wrapped.exit_code == 1
    assert "MH303" in wrapped.output
    assert unwrapped.exit_code == 0, unwrapped.output
    assert "MH303" not in unwrapped.output


def test_lint_suppresses_errors_of_rollbacks_production_never_runs(tmp_path: Path) -> None:
    """A down that always fails is an error only where production runs it; elsewhere it is
    listed as suppressed with the setting that says so (check makes it a warning)."""
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    up = (
        "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT);\n"
        "CREATE INDEX users_name ON users(name);\n"
    )
    (root / "migrations" / "1_init.up.sql").write_text(up)
    # drops the indexed column before its index: SQLite refuses it
    down = "ALTER TABLE users DROP COLUMN name;\nDROP INDEX users_name;\n"
    (root / "migrations" / "1_init.down.sql").write_text(down)
    used = CliRunner().invoke(cli, ["lint", str(root)])
    unused = CliRunner().invoke(cli, ["lint", str(root), "--production-rollbacks", "unused"])
    assert used.exit_code == 1
    assert "MH311 error" in used.output
    assert unused.exit_code == 0, unused.output
    assert "suppressed: production never runs this rollback" in unused.output
    (root / "pyproject.toml").write_text(
        '[tool.migration-harness]\nproduction_rollbacks = "unused"\n'
    )
    assert CliRunner().invoke(cli, ["lint", str(root)]).exit_code == 0
