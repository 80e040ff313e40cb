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
