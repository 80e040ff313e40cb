"""An unwrapped file that can only fail where a retry is harmless is MH112, not MH113.

Prisma runs each file without a transaction and halts on a failure until a person resolves
it; the retry runs the file from its first statement. Only a failure after the first
statement that cannot run twice leaves a retry that fails too, and only rows (not the
schema the check applied the file on) can make a statement fail in production
(checks/retry.py). Each note has its twin that can fail half-way and stays a warning.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

USERS = (
    'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "name" TEXT);\n'
)


def _codes(tmp_path: Path, second: str) -> list[str]:
    root = tmp_path / "prisma" / "migrations"
    for name, sql in (("20240101000000_init", USERS), ("20240102000000_next", second)):
        (root / name).mkdir(parents=True)
        (root / name / "migration.sql").write_text(sql)
    (root / "migration_lock.toml").write_text('provider = "sqlite"\n')
    run = check_set(discover(root.parent.parent), TARGETS["prisma"], checks=("idempotent",))
    return [f.code for f in run.findings if f.migration == "20240102000000_next"]


@pytest.mark.parametrize(
    ("second", "code"),
    [
        # Prisma's own CreateTable/CreateIndex: nothing after the first statement meets a row
        (
            'CREATE TABLE "Post" ("id" TEXT NOT NULL PRIMARY KEY, "authorId" TEXT NOT NULL);\n'
            'CREATE UNIQUE INDEX "Post_id_key" ON "Post"("id");\n'
            'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");\n',
            "MH112",
        ),
        # a seed of literal rows into the table the file made
        (
            'CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);\n'
            "INSERT INTO \"Tag\" (\"name\") VALUES ('a'), ('b');\n",
            "MH112",
        ),
        # the dedupe before the index: the re-run fails only at the index, the last
        (
            'DELETE FROM "User" WHERE "id" NOT IN'
            ' (SELECT MIN("id") FROM "User" GROUP BY "email");\n'
            'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
            "MH112",
        ),
        # twins: a statement after the first that rows can fail
        (
            'CREATE TABLE "Email" ("address" TEXT NOT NULL UNIQUE);\n'
            'INSERT INTO "Email" ("address") SELECT "email" FROM "User";\n',
            "MH113",
        ),
        (
            'CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);\n'
            'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
            "MH113",
        ),
        (
            'ALTER TABLE "User" ADD COLUMN "handle" TEXT;\n'
            'UPDATE "User" SET "handle" = lower("name");\n'
            'CREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");\n',
            "MH113",
        ),
        (
            'CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);\n'
            'CREATE INDEX "User_name_idx" ON "User"(lower("name"));\n',
            "MH113",  # an expression index evaluates every row
        ),
    ],
    ids=["create", "seed", "dedupe", "copy", "unique", "backfill", "expression"],
)
def test_a_file_prisma_halts_on_is_a_warning_only_where_a_retry_can_fail(
    tmp_path: Path, second: str, code: str
) -> None:
    assert _codes(tmp_path, second) == [code]


# the column the file adds, then fills with the TEXT key between fixed strings
SLUG = (
    'ALTER TABLE "User" ADD COLUMN "slug" TEXT;\n'
    'UPDATE "User" SET "slug" = {value} WHERE "slug" IS NULL;\n'
    'CREATE UNIQUE INDEX "User_slug_key" ON "User"("slug"{collate});\n'
)


@pytest.mark.parametrize(
    ("value", "collate", "code"),
    [
        ("'u-' || \"id\"", "", "MH112"),  # distinct in every row: the index cannot fail
        ("'u-' || \"email\"", "", "MH113"),  # two users may share an email
        ("'u-' || \"id\"", " COLLATE NOCASE", "MH113"),  # 'a' and 'A' clash there
    ],
)
def test_a_unique_label_backfill_can_fail_on_no_row(
    tmp_path: Path, value: str, collate: str, code: str
) -> None:
    assert _codes(tmp_path, SLUG.format(value=value, collate=collate)) == [code]
