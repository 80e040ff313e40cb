"""False alarms the clean histories of the other runners showed, each with its twin.

Minimal forms of statements of tests/examples/clean_{prisma,liquibase,…}: the rule stays
quiet on the clean shape, and names the planted twin that can really go wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

# Prisma's String @id: a TEXT primary key; ref has no type (BLOB affinity: 1 and '1' are
# two values) and num NUMERIC: only a TEXT key is read as distinct strings
POSTS = (
    'CREATE TABLE "Post" ("id" TEXT NOT NULL PRIMARY KEY, "title" TEXT NOT NULL,'
    ' "ref" UNIQUE, "num" NUMERIC UNIQUE);\n'
)

# --- MH212: a slug backfilled from a unique TEXT key between fixed strings is unique ------

SLUG = (
    'ALTER TABLE "Post" ADD COLUMN "slug" TEXT{collate};\n'
    'UPDATE "Post" SET "slug" = {value} WHERE "slug" IS NULL;\n'
    'CREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug"{index_collate});\n'
)


@pytest.mark.parametrize(
    ("value", "collate", "index_collate", "warned"),
    [
        ("'post-' || \"id\"", "", "", False),
        ("'/p/' || \"id\" || '.html'", "", "", False),
        ("'post-' || \"title\"", "", "", True),  # not a key: two posts may share it
        ("'post-' || \"ref\"", "", "", True),  # no affinity: 1 and '1' both give 'post-1'
        ("'post-' || \"num\"", "", "", True),  # NUMERIC: only TEXT keys are judged
        ("'post-' || \"id\"", " COLLATE NOCASE", "", True),  # 'a' and 'A' clash there
        ("'post-' || \"id\"", "", " COLLATE NOCASE", True),
        ("'post-' || \"id\"", " COLLATE RTRIM", "", True),  # 'a' and 'a ' clash there
    ],
)
def test_a_backfill_labelling_a_text_key_is_unique(
    tmp_path: Path, value: str, collate: str, index_collate: str, warned: bool
) -> None:
    up = SLUG.format(value=value, collate=collate, index_collate=index_collate)
    assert bool(lines_of(second_file(tmp_path, POSTS, up, "sqlite"), "MH212")) is warned


# --- MH203: a column of few known values the copy converts one to one is kept ------------

FLAGS = (
    'CREATE TABLE "Task" ("id" TEXT NOT NULL PRIMARY KEY, "title" TEXT NOT NULL,'
    ' "done" BOOLEAN {null} DEFAULT false,'
    " \"size\" TEXT NOT NULL DEFAULT 's' CHECK (\"size\" IN ('s', 'm', 'l')));\n"
)
# Prisma's RedefineTables, its copy edited to carry the old column into the new one
REDEFINE = (
    "PRAGMA defer_foreign_keys=ON;\n"
    "PRAGMA foreign_keys=OFF;\n"
    'CREATE TABLE "new_Task" ("id" TEXT NOT NULL PRIMARY KEY, "title" TEXT NOT NULL,'
    ' "state" TEXT NOT NULL, "size" TEXT NOT NULL);\n'
    'INSERT INTO "new_Task" ("id", "title", "state", "size")'
    ' SELECT "id", "title", {state}, "size" FROM "Task";\n'
    'DROP TABLE "Task";\n'
    'ALTER TABLE "new_Task" RENAME TO "Task";\n'
    "PRAGMA foreign_keys=ON;\n"
    "PRAGMA defer_foreign_keys=OFF;\n"
)
# the same, converting size into label instead (done is copied as it is)
RESIZE = (
    'CREATE TABLE "new_Task" ("id" TEXT NOT NULL PRIMARY KEY, "title" TEXT NOT NULL,'
    ' "done" BOOLEAN NOT NULL, "label" TEXT NOT NULL);\n'
    'INSERT INTO "new_Task" ("id", "title", "done", "label")'
    ' SELECT "id", "title", "done", {state} FROM "Task";\n'
    'DROP TABLE "Task";\n'
    'ALTER TABLE "new_Task" RENAME TO "Task";\n'
)


@pytest.mark.parametrize(
    ("null", "state", "warned"),
    [
        ("NOT NULL", "CASE WHEN \"done\" THEN 'DONE' ELSE 'OPEN' END", False),
        ("NOT NULL", "iif(\"done\", 'DONE', 'OPEN')", False),
        ("NOT NULL", "CASE WHEN \"done\" THEN 'OPEN' ELSE 'OPEN' END", True),  # both OPEN
        ("", "CASE WHEN \"done\" THEN 'DONE' ELSE 'OPEN' END", True),  # NULL and 0: OPEN
        (
            "",
            "CASE WHEN \"done\" IS NULL THEN '?' WHEN \"done\" THEN 'DONE' ELSE 'OPEN' END",
            False,
        ),
        ("NOT NULL", 'upper("title")', True),  # done is read by nothing
        ("NOT NULL", "\"title\" || iif(\"done\", '!', '')", True),  # reads title too
    ],
)
def test_a_boolean_the_copy_converts_one_to_one_is_kept(
    tmp_path: Path, null: str, state: str, warned: bool
) -> None:
    up = REDEFINE.format(state=state)
    found = lines_of(second_file(tmp_path, FLAGS.format(null=null), up, "prisma"), "MH203")
    assert bool(found) is warned


@pytest.mark.parametrize(
    ("state", "warned"),
    [
        ("CASE \"size\" WHEN 's' THEN 'SMALL' WHEN 'm' THEN 'MEDIUM' ELSE 'LARGE' END", False),
        ("CASE \"size\" WHEN 's' THEN 'SMALL' ELSE 'BIG' END", True),  # m and l: BIG
        ('upper("size")', False),
    ],
)
def test_a_check_list_the_copy_converts_one_to_one_is_kept(
    tmp_path: Path, state: str, warned: bool
) -> None:
    history = FLAGS.format(null="NOT NULL")
    up = RESIZE.format(state=state)
    assert bool(lines_of(second_file(tmp_path, history, up, "prisma"), "MH203")) is warned


# --- MH218: a JOIN to a lookup row the file inserts first, by its literal, keeps every row --

STOCK = (
    "CREATE TABLE warehouses (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL{extra});\n"
    "CREATE TABLE moves (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL);\n"
)
# Liquibase changeset 3 of clean_liquibase: every existing move happens in MAIN
MOVE_IN = (
    "{seed}"
    "CREATE TABLE moves_new (id INTEGER PRIMARY KEY,"
    " warehouse_id INTEGER NOT NULL REFERENCES warehouses(id), qty INTEGER NOT NULL);\n"
    "INSERT INTO moves_new (id, warehouse_id, qty)"
    " SELECT m.id, w.id, m.qty FROM moves AS m JOIN warehouses AS w ON w.code = 'MAIN';\n"
    "DROP TABLE moves;\n"
    "ALTER TABLE moves_new RENAME TO moves;\n"
)
SEED = "INSERT OR IGNORE INTO warehouses (code, name) VALUES ('MAIN', 'Main');\n"


@pytest.mark.parametrize(
    ("extra", "seed", "warned"),
    [
        ("", SEED, False),
        ("", SEED.replace("OR IGNORE ", ""), False),  # fails rather than skips
        ("", SEED.replace(";", " ON CONFLICT DO NOTHING;"), False),
        ("", SEED + "INSERT OR IGNORE INTO warehouses (code, name) VALUES ('B', 'B');\n", False),
        ("", "", True),  # the application may never have made MAIN
        ("", SEED.replace("'MAIN'", "'HQ'"), True),  # another row
        ("", SEED + "DELETE FROM warehouses WHERE name = 'Main';\n", True),
        # OR IGNORE skips MAIN when another warehouse is already called Main
        (", UNIQUE (name)", SEED, True),
        # ... or when a CHECK refuses it
        (", CHECK (length(code) > 4)", SEED, True),
        # ... or when the id it gives is taken
        ("", SEED.replace("(code, name) VALUES (", "(id, code, name) VALUES (1, "), True),
    ],
)
def test_a_join_to_a_row_the_file_seeds_keeps_every_row(
    tmp_path: Path, extra: str, seed: str, warned: bool
) -> None:
    up = MOVE_IN.format(seed=seed)
    found = lines_of(second_file(tmp_path, STOCK.format(extra=extra), up, "sqlite"), "MH218")
    assert bool(found) is warned
