"""A bun set without ``.tx.`` names or ``--bun:`` lines is told from golang-migrate's by its Go.

bun's migrator finds its SQL files through Go code beside them: ``DiscoverCaller()`` reads
the folder of the Go file that calls it, and ``Discover(fsys)`` an ``embed.FS`` that
``//go:embed`` can only take from that file's folder or below (uptrace/bun
``migrate/migrations.go``). So a Go file in the migrations folder, or in a folder above it
inside the module, importing ``github.com/uptrace/bun/migrate`` says bun, as refinery's
``Cargo.toml`` says refinery; ``go.mod`` cannot (``migrate`` is a package of the
``github.com/uptrace/bun`` module, which many golang-migrate projects use as their ORM).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.sets.discovery import discover

UP = "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
DOWN = "DROP TABLE users;\n"
BUN_MAIN = """package migrations

import "github.com/uptrace/bun/migrate"

var Migrations = migrate.NewMigrations()

func init() {
\tif err := Migrations.DiscoverCaller(); err != nil {
\t\tpanic(err)
\t}
}
"""
EMBED_ABOVE = """package db

import (
\t"embed"

\t"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var sqlMigrations embed.FS

var Migrations = migrate.NewMigrations()
"""
GOLANG_MIGRATE_MAIN = """package db

import (
\t"embed"

\t"github.com/golang-migrate/migrate/v4/source/iofs"
\t"github.com/uptrace/bun"
)

//go:embed migrations/*.sql
var fs embed.FS

var _ = iofs.New
var _ *bun.DB
"""
GO_MOD = "module example.com/app\n\ngo 1.22\n\nrequire github.com/uptrace/bun v1.2.5\n"


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "app"
    sql = {
        "db/migrations/20240101120000_users.up.sql": UP,
        "db/migrations/20240101120000_users.down.sql": DOWN,
    }
    for name, text in {"go.mod": GO_MOD, **sql, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "db" / "migrations"


@pytest.mark.parametrize(
    "files",
    [
        {"db/migrations/main.go": BUN_MAIN},
        {"db/db.go": EMBED_ABOVE},
    ],
)
def test_a_go_file_that_runs_bun_makes_it_a_bun_set(tmp_path: Path, files: dict[str, str]) -> None:
    mset = discover(project(tmp_path, files))
    assert (mset.layout, mset.default_target) == ("bun", "bun")
    # bun runs a file without .tx. in its name outside a transaction.
    assert mset.migrations[0].up_options == {"transaction": False}


@pytest.mark.parametrize(
    "files",
    [
        {},  # go.mod requires bun (the ORM) and nothing runs bun's migrator
        {"db/db.go": GOLANG_MIGRATE_MAIN},  # golang-migrate runs them beside bun's ORM
        {"db/migrations/main_test.go": BUN_MAIN},  # a test file is no part of the build
        {"db/migrations/main.go": BUN_MAIN.replace("bun/migrate", "bun/migrate/sqlschema")},
    ],
)
def test_without_bun_s_migrator_the_set_stays_golang_migrate(
    tmp_path: Path, files: dict[str, str]
) -> None:
    mset = discover(project(tmp_path, files))
    assert (mset.layout, mset.default_target) == ("updown", "golang-migrate")


def test_a_bun_import_outside_the_module_does_not_count(tmp_path: Path) -> None:
    # The search stops at the module's root (go.mod): another project's code never counts.
    folder = project(tmp_path, {})
    (tmp_path / "main.go").write_text(BUN_MAIN)
    assert discover(folder).layout == "updown"


def test_the_nearest_go_file_decides(tmp_path: Path) -> None:
    files = {"db/migrations/main.go": BUN_MAIN, "db/db.go": GOLANG_MIGRATE_MAIN}
    assert discover(project(tmp_path, files)).layout == "bun"
    files = {"db/migrations/main.go": GOLANG_MIGRATE_MAIN, "db/db.go": EMBED_ABOVE}
    assert discover(project(tmp_path, files)).layout == "updown"


def test_the_target_asked_for_still_wins(tmp_path: Path) -> None:
    folder = project(tmp_path, {"db/migrations/main.go": BUN_MAIN})
    mset = discover(folder, target="golang-migrate")
    assert mset.layout == "updown"
