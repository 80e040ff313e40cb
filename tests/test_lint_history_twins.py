"""False alarms the clean histories (tests/test_clean_histories.py) showed, each with its twin.

Each clean shape is the minimal form of a statement of tests/examples/clean_*: the rule
stays quiet on it. Each planted twin keeps the shape but can really go wrong in production,
and the rule still names it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target
from tests.lint_pairs import lines_of, second_file

POSTS = (
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, slug TEXT,"
    " category TEXT NOT NULL DEFAULT 'general', code TEXT UNIQUE);\n"
)

# --- MH214: a `||` of values never NULL is never NULL -------------------------------------

SLUG_NOT_NULL = (
    "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL, slug TEXT NOT NULL,"
    " category TEXT NOT NULL DEFAULT 'general', code TEXT UNIQUE);\n"
    "INSERT INTO posts_new (id, title, slug, category, code)"
    " SELECT id, title, {slug}, category, code FROM posts;\n"
    "DROP TABLE posts;\n"
    "ALTER TABLE posts_new RENAME TO posts;\n"
)


@pytest.mark.parametrize(
    ("slug", "warned"),
    [
        ("COALESCE(slug, 'post-' || id)", False),  # the rowid is never NULL
        ("'post-' || id", False),
        ("IFNULL(slug, title || '-' || id)", False),  # title is NOT NULL
        ("COALESCE(slug, 'post-' || code)", True),  # code may be NULL: so is the label
        ("'post-' || slug", True),
        ("slug", True),
    ],
)
def test_a_concatenation_of_values_never_null_fills_a_new_not_null(
    tmp_path: Path, slug: str, warned: bool
) -> None:
    up = SLUG_NOT_NULL.format(slug=slug)
    assert bool(lines_of(second_file(tmp_path, POSTS, up, "sqlite"), "MH214")) is warned


# --- MH212: a slug backfilled from the rowid between fixed strings is unique --------------

SLUG_INDEX = (
    "ALTER TABLE posts ADD COLUMN permalink TEXT;\n"
    "UPDATE posts SET permalink = {value} WHERE permalink IS NULL;\n"
    "CREATE UNIQUE INDEX idx_posts_permalink ON posts(permalink);\n"
)


@pytest.mark.parametrize(
    ("value", "warned"),
    [
        ("'post-' || id", False),
        ("'/p/' || id || '.html'", False),
        ("id", False),  # a copy of the key, as before
        ("'post-' || title", True),  # two posts may share a title
        # UNIQUE TEXT: a 1 written there is stored as '1', so distinct keys are distinct
        # strings (tests/test_lint_runner_twins.py has the keys that can collapse)
        ("'post-' || code", False),
        ("id || title", True),
        ("'post-' || (id % 10)", True),
    ],
)
def test_a_backfill_labelling_the_rowid_is_unique(tmp_path: Path, value: str, warned: bool) -> None:
    up = SLUG_INDEX.format(value=value)
    assert bool(lines_of(second_file(tmp_path, POSTS, up, "sqlite"), "MH212")) is warned


# --- MH218: a lookup topped up with every value before the join copy ---------------------

CATEGORIES = (
    "CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE{extra});\n"
    "INSERT INTO categories (name) VALUES ('general'), ('news');\n"
)
JOIN_COPY = (
    "{top_up}"
    "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL, slug TEXT,"
    " category_id INTEGER NOT NULL REFERENCES categories(id), code TEXT UNIQUE);\n"
    "INSERT INTO posts_new (id, title, slug, category_id, code)"
    " SELECT p.id, p.title, p.slug, c.id, p.code FROM posts AS p"
    " JOIN categories AS c ON c.name = p.category;\n"
    "DROP TABLE posts;\n"
    "ALTER TABLE posts_new RENAME TO posts;\n"
)
TOP_UP = "INSERT OR IGNORE INTO categories (name) SELECT DISTINCT category FROM posts;\n"


@pytest.mark.parametrize(
    ("extra", "top_up", "warned"),
    [
        ("", TOP_UP, False),
        ("", TOP_UP.replace("OR IGNORE ", ""), False),  # fails rather than drops
        ("", TOP_UP.replace(";", " ON CONFLICT DO NOTHING;"), False),
        ("", "", True),  # the application's categories may miss a post's category
        ("", TOP_UP.replace(";", " WHERE id > 10;"), True),  # only some values
        ("", TOP_UP + "DELETE FROM categories WHERE name = 'news';\n", True),
        # OR IGNORE skips a value another constraint refuses: it never reaches the lookup
        (", CHECK (length(name) > 2)", TOP_UP, True),
        (", color TEXT NOT NULL", TOP_UP, True),
        (", rank INTEGER NOT NULL DEFAULT 0 UNIQUE", TOP_UP, True),
    ],
)
def test_a_lookup_topped_up_before_the_join_copy_keeps_every_row(
    tmp_path: Path, extra: str, top_up: str, warned: bool
) -> None:
    history = POSTS + CATEGORIES.format(extra=extra)
    up = JOIN_COPY.format(top_up=top_up)
    assert bool(lines_of(second_file(tmp_path, history, up, "sqlite"), "MH218")) is warned


def test_a_lookup_topped_up_from_another_table_still_fires(tmp_path: Path) -> None:
    # the values come from drafts, not from the posts the join copies
    history = POSTS + CATEGORIES.format(extra="") + POSTS.replace("posts", "drafts")
    up = JOIN_COPY.format(top_up=TOP_UP.replace("FROM posts", "FROM drafts"))
    assert lines_of(second_file(tmp_path, history, up, "sqlite"), "MH218") != []


# --- MH202/MH203: a generated column holds no values of its own -------------------------

NOTES = (
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, tag TEXT,"
    " body_length INTEGER GENERATED ALWAYS AS (length(body)) {kind});\n"
)
NOTES_REBUILT = (
    "CREATE TABLE notes_new (id INTEGER PRIMARY KEY, {kept});\n"
    "INSERT INTO notes_new (id, {copied}) SELECT id, {copied} FROM notes;\n"
    "DROP TABLE notes;\n"
    "ALTER TABLE notes_new RENAME TO notes;\n"
)


@pytest.mark.parametrize("kind", ["VIRTUAL", "STORED"])
@pytest.mark.parametrize(("column", "warned"), [("body_length", False), ("tag", True)])
def test_dropping_a_generated_column_loses_nothing(
    tmp_path: Path, kind: str, column: str, warned: bool
) -> None:
    up = f"ALTER TABLE notes DROP COLUMN {column};\n"
    found = second_file(tmp_path, NOTES.format(kind=kind), up, "sqlite")
    assert bool(lines_of(found, "MH202")) is warned


@pytest.mark.parametrize("kind", ["VIRTUAL", "STORED"])
@pytest.mark.parametrize(
    ("kept", "copied", "warned"),
    [
        ("body TEXT NOT NULL, tag TEXT", "body, tag", False),  # body_length left out
        ("body TEXT NOT NULL, body_length INTEGER", "body, body_length", True),  # tag lost
    ],
)
def test_a_rebuild_leaving_out_a_generated_column_loses_nothing(
    tmp_path: Path, kind: str, kept: str, copied: str, warned: bool
) -> None:
    up = NOTES_REBUILT.format(kept=kept, copied=copied)
    found = second_file(tmp_path, NOTES.format(kind=kind), up, "sqlite")
    assert bool(lines_of(found, "MH203")) is warned


# --- MH204: a rollback re-creating an external-content FTS5 index reads its content table --

ARTICLES = "CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);\n"
FTS = "CREATE VIRTUAL TABLE articles_fts USING fts5({columns}{content});\n"
REBUILD = "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');\n"


def _rollback_findings(tmp_path: Path, content: str, before_refill: str = "") -> list[str]:
    """Codes of the findings about the rollback of a file widening the index by one column."""
    make = "DROP TABLE articles_fts;\n" + FTS
    steps = {
        "0001_articles": (ARTICLES, "DROP TABLE articles;\n"),
        "0002_search": (
            FTS.format(columns="title", content=content) + REBUILD,
            "DROP TABLE articles_fts;\n",
        ),
        "0003_search_body": (
            make.format(columns="title, body", content=content) + REBUILD,
            make.format(columns="title", content=content) + before_refill + REBUILD,
        ),
    }
    (tmp_path / "migrations").mkdir()
    (tmp_path / "rollbacks").mkdir()
    for name, (up, down) in steps.items():
        (tmp_path / "migrations" / f"{name}.sql").write_text(up, encoding="utf-8")
        (tmp_path / "rollbacks" / f"{name[:4]}_rollback.sql").write_text(down, encoding="utf-8")
    findings = lint_set(discover(tmp_path), get_target("sqlite"))
    return [f.code for f in findings if Path(f.file or "").name == "0003_rollback.sql"]


def test_a_rollback_rebuilding_an_external_content_index_loses_nothing(tmp_path: Path) -> None:
    # 'rebuild' reads articles again, which the rollback never touches
    assert "MH204" not in _rollback_findings(tmp_path, ", content='articles'")


def test_a_rollback_rebuilding_an_index_from_its_own_content_loses_every_row(
    tmp_path: Path,
) -> None:
    # an ordinary FTS5 table's 'rebuild' reads its own content: empty once re-created
    assert "MH204" in _rollback_findings(tmp_path, "")


def test_a_rollback_rebuilding_from_a_content_table_it_emptied_loses_every_row(
    tmp_path: Path,
) -> None:
    emptied = _rollback_findings(tmp_path, ", content='articles'", "DELETE FROM articles;\n")
    assert "MH204" in emptied


# --- MH212: a dedupe ordering by a column the same file added ----------------------------

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
DEDUPE_NEWEST = (
    "ALTER TABLE users ADD COLUMN created_at TEXT;\n"
    "UPDATE users SET created_at = '2024-01-01' WHERE created_at IS NULL;\n"
    "DELETE FROM users WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER"
    " (PARTITION BY email ORDER BY created_at DESC, id DESC) AS rn FROM users) WHERE rn > {n});\n"
    "CREATE UNIQUE INDEX users_email ON users(email);\n"
)


@pytest.mark.parametrize(("n", "warned"), [(1, False), (2, True)])
def test_a_dedupe_reading_a_column_the_file_added_is_proven(
    tmp_path: Path, n: int, warned: bool
) -> None:
    # the probe table must have created_at: the index's schema is the one just before it
    up = DEDUPE_NEWEST.format(n=n)
    assert bool(lines_of(second_file(tmp_path, USERS, up, "sqlite"), "MH212")) is warned


# --- MH218: the top-up that inserts only the missing names --------------------------------

MISSING_ONLY = (
    "INSERT INTO categories (name) SELECT DISTINCT p.category FROM posts AS p"
    " WHERE NOT EXISTS (SELECT 1 FROM categories AS c WHERE c.name = p.{probe});\n"
)
NOT_IN = (
    "INSERT INTO categories (name) SELECT DISTINCT category FROM posts"
    " WHERE category {op} (SELECT name FROM categories);\n"
)


@pytest.mark.parametrize(
    ("extra", "top_up", "warned"),
    [
        ("", MISSING_ONLY.format(probe="category"), False),
        ("", NOT_IN.format(op="NOT IN"), False),
        ("", MISSING_ONLY.format(probe="title"), True),  # tests another column
        ("", NOT_IN.format(op="IN"), True),  # inserts only names already there
    ],
)
def test_a_lookup_topped_up_with_its_missing_names_keeps_every_row(
    tmp_path: Path, extra: str, top_up: str, warned: bool
) -> None:
    history = POSTS + CATEGORIES.format(extra=extra)
    up = JOIN_COPY.format(top_up=top_up)
    assert bool(lines_of(second_file(tmp_path, history, up, "sqlite"), "MH218")) is warned


def test_not_in_a_nullable_lookup_column_proves_nothing(tmp_path: Path) -> None:
    # one NULL name makes every `category NOT IN (…)` NULL: nothing is inserted
    history = POSTS + CATEGORIES.format(extra="").replace("name TEXT NOT NULL", "name TEXT")
    up = JOIN_COPY.format(top_up=NOT_IN.format(op="NOT IN"))
    assert lines_of(second_file(tmp_path, history, up, "sqlite"), "MH218") != []


# --- MH214: the old table's columns stay non-NULL beside a join ----------------------------

JOINED_SLUG = (
    TOP_UP + "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
    " slug TEXT NOT NULL, category_id INTEGER NOT NULL REFERENCES categories(id),"
    " code TEXT UNIQUE);\n"
    "INSERT INTO posts_new (id, title, slug, category_id, code)"
    " SELECT p.id, p.title, {slug}, c.id, p.code FROM posts AS p"
    " {side}JOIN categories AS c ON c.name = p.category;\n"
    "DROP TABLE posts;\n"
    "ALTER TABLE posts_new RENAME TO posts;\n"
)


@pytest.mark.parametrize(
    ("slug", "side", "warned"),
    [
        ("COALESCE(p.slug, 'post-' || p.id)", "", False),
        ("COALESCE(p.slug, lower(p.title))", "LEFT ", False),
        ("COALESCE(p.slug, 'post-' || CAST(p.id AS TEXT))", "", False),
        ("COALESCE(p.slug, 'post-' || c.id)", "LEFT ", True),  # NULL where nothing matched
        ("COALESCE(p.slug, upper(p.code))", "", True),  # code may be NULL
    ],
)
def test_a_copy_beside_a_join_fills_a_new_not_null_from_the_old_rows(
    tmp_path: Path, slug: str, side: str, warned: bool
) -> None:
    history = POSTS + CATEGORIES.format(extra="")
    up = JOINED_SLUG.format(slug=slug, side=side)
    assert bool(lines_of(second_file(tmp_path, history, up, "sqlite"), "MH214")) is warned


# --- MH212: a rebuild's new UNIQUE column copied from the rowid between fixed strings -----

TEAMS = "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);\n"
TEAM_SLUG = (
    "CREATE TABLE teams_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT,"
    " slug TEXT NOT NULL UNIQUE);\n"
    "INSERT INTO teams_new (id, name, code, slug) SELECT id, name, code, {slug} FROM teams AS t;\n"
    "DROP TABLE teams;\n"
    "ALTER TABLE teams_new RENAME TO teams;\n"
)


@pytest.mark.parametrize(
    ("slug", "warned"),
    [
        ("'team-' || id", False),
        ("'team-' || t.id || '-x'", False),
        ("'team-' || name", True),  # two teams may share a name
        ("'team-' || code", True),
        ("lower(name)", True),
    ],
)
def test_a_rebuilt_unique_slug_labelling_the_rowid_holds(
    tmp_path: Path, slug: str, warned: bool
) -> None:
    up = TEAM_SLUG.format(slug=slug)
    assert bool(lines_of(second_file(tmp_path, TEAMS, up, "sqlite"), "MH212")) is warned


# --- MH415: DEFAULT FALSE and DEFAULT 0 are one value -------------------------------------

FLAGS = (
    "CREATE TABLE flags (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " on_ INTEGER NOT NULL DEFAULT {default});\n"
)
FLAGS_UP = (
    "CREATE TABLE flags_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " on_ INTEGER NOT NULL DEFAULT FALSE, note TEXT);\n"
    "INSERT INTO flags_new (id, name, on_) SELECT id, name, on_ FROM flags;\n"
    "DROP TABLE flags;\n"
    "ALTER TABLE flags_new RENAME TO flags;\n"
)
FLAGS_DOWN = (
    "CREATE TABLE flags_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " on_ INTEGER NOT NULL DEFAULT {default});\n"
    "INSERT INTO flags_old (id, name, on_) SELECT id, name, on_ FROM flags;\n"
    "DROP TABLE flags;\n"
    "ALTER TABLE flags_old RENAME TO flags;\n"
)


@pytest.mark.parametrize(
    ("before", "restored", "warned"),
    [
        ("FALSE", "0", False),
        ("0", "(FALSE)", False),
        ("TRUE", "1", False),
        ("FALSE", "1", True),  # the default really changes
        ("TRUE", "FALSE", True),
    ],
)
def test_a_rollback_respelling_a_boolean_default_restores_the_table(
    tmp_path: Path, before: str, restored: str, warned: bool
) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "rollbacks").mkdir()
    (tmp_path / "migrations" / "0001_flags.sql").write_text(FLAGS.format(default=before))
    (tmp_path / "migrations" / "0002_note.sql").write_text(FLAGS_UP)
    (tmp_path / "rollbacks" / "0002_rollback.sql").write_text(FLAGS_DOWN.format(default=restored))
    findings = lint_set(discover(tmp_path), get_target("sqlite"))
    assert bool(lines_of(findings, "MH415")) is warned


# --- MH220: a trigger made again on the new table before the swap, under another name ----

TOUCHED = (
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, updated_at TEXT);\n"
    "CREATE TRIGGER posts_touch AFTER UPDATE OF title ON posts BEGIN"
    " UPDATE posts SET updated_at = CURRENT_TIMESTAMP WHERE id = new.id; END;\n"
)
SWAP = (
    "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL, updated_at TEXT,"
    " summary TEXT);\n"
    "INSERT INTO posts_new (id, title, updated_at) SELECT id, title, updated_at FROM posts;\n"
    "{trigger}"
    "DROP TABLE posts;\n"
    "ALTER TABLE posts_new RENAME TO posts;\n"
)
ON_NEW = (
    "CREATE TRIGGER posts_touch_new AFTER UPDATE OF {column} ON posts_new BEGIN"
    " UPDATE posts_new SET updated_at = CURRENT_TIMESTAMP WHERE id = new.id; END;\n"
)


@pytest.mark.parametrize(
    ("trigger", "warned"),
    [
        (ON_NEW.format(column="title"), False),  # the RENAME makes it the old trigger
        ("", True),
        (ON_NEW.format(column="summary"), True),  # fires on another column
    ],
)
def test_a_trigger_made_on_the_new_table_before_the_swap_is_kept(
    tmp_path: Path, trigger: str, warned: bool
) -> None:
    up = SWAP.format(trigger=trigger)
    assert bool(lines_of(second_file(tmp_path, TOUCHED, up, "sqlite"), "MH220")) is warned


# --- MH212: a rollback deduping by a column it then drops, before the UNIQUE index ---------

TENANTS_UP = (
    "DROP INDEX users_email;\n"
    "ALTER TABLE users ADD COLUMN tenant TEXT NOT NULL DEFAULT 'main';\n"
    "ALTER TABLE users ADD COLUMN created_at TEXT;\n"
    "CREATE UNIQUE INDEX users_tenant_email ON users(tenant, email);\n"
)
TENANTS_DOWN = (
    "DROP INDEX users_tenant_email;\n"
    "DELETE FROM users WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER"
    " (PARTITION BY email ORDER BY created_at, id) AS rn FROM users) WHERE rn > {n});\n"
    "ALTER TABLE users DROP COLUMN created_at;\n"
    "ALTER TABLE users DROP COLUMN tenant;\n"
    "CREATE UNIQUE INDEX users_email ON users(email);\n"
)


@pytest.mark.parametrize(("n", "warned"), [(1, False), (2, True)])
def test_a_rollback_deduping_by_a_column_it_then_drops_is_proven(
    tmp_path: Path, n: int, warned: bool
) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "rollbacks").mkdir()
    users = USERS + "CREATE UNIQUE INDEX users_email ON users(email);\n"
    (tmp_path / "migrations" / "0001_users.sql").write_text(users)
    (tmp_path / "migrations" / "0002_tenants.sql").write_text(TENANTS_UP)
    (tmp_path / "rollbacks" / "0002_rollback.sql").write_text(TENANTS_DOWN.format(n=n))
    findings = lint_set(discover(tmp_path), get_target("sqlite"))
    assert bool(lines_of(findings, "MH212")) is warned


# --- MH214: a CASE whose every branch, and its ELSE where reached, is never NULL -----------

NAMED = "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, nick TEXT);\n"
NAME_NOT_NULL = (
    "CREATE TABLE people_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL,"
    " name TEXT NOT NULL, nick TEXT);\n"
    "INSERT INTO people_new (id, email, name, nick) SELECT id, email, {name}, nick FROM people;\n"
    "DROP TABLE people;\n"
    "ALTER TABLE people_new RENAME TO people;\n"
)


@pytest.mark.parametrize(
    ("name", "warned"),
    [
        (
            "CASE WHEN name IS NULL OR name = '' THEN substr(email, 1, instr(email, '@') - 1)"
            " ELSE name END",
            False,
        ),
        ("CASE WHEN name IS NULL THEN 'person-' || id ELSE name END", False),
        ("CASE WHEN name = '' THEN email ELSE name END", True),  # a NULL name reaches ELSE
        ("CASE WHEN nick IS NULL THEN email ELSE name END", True),
        ("CASE WHEN name IS NULL THEN nick ELSE name END", True),  # nick may be NULL
        ("CASE WHEN name IS NULL THEN email END", True),  # no ELSE: NULL
        ("length(email) / 0", True),  # x / 0 is NULL in SQLite
    ],
)
def test_a_case_filling_every_null_branch_fills_a_new_not_null(
    tmp_path: Path, name: str, warned: bool
) -> None:
    up = NAME_NOT_NULL.format(name=name)
    assert bool(lines_of(second_file(tmp_path, NAMED, up, "sqlite"), "MH214")) is warned


# --- MH214: a copy whose WHERE keeps the NULLs out never writes one (corpus s27) -----------

AUTHORS = "CREATE TABLE authors (message TEXT PRIMARY KEY, author TEXT, original TEXT);\n"
AUTHORS_NOT_NULL = (
    "CREATE TABLE new_authors (message TEXT PRIMARY KEY, author TEXT NOT NULL,"
    " original TEXT NOT NULL);\n"
    "INSERT INTO new_authors SELECT {select} FROM authors{where};\n"
    "DROP TABLE authors;\n"
    "ALTER TABLE new_authors RENAME TO authors;\n"
)


@pytest.mark.parametrize(
    ("select", "where", "warned"),
    [
        # conniebot 007: the NULL rows are left behind (MH218's), none is copied
        ("*", " WHERE author IS NOT NULL AND original IS NOT NULL", False),
        ("message, author, original", " WHERE author <> '' AND original IS NOT NULL", False),
        ("*", " AS a WHERE a.author IS NOT NULL AND a.original IS NOT NULL", False),
        ("*", " WHERE author IS NOT NULL", True),  # original may still be NULL
        ("*", " WHERE author IS NOT NULL OR original IS NOT NULL", True),
        ("message, COALESCE(original, author), original", " WHERE author IS NOT NULL", True),
        ("*", "", True),
    ],
)
def test_a_copy_filtering_out_the_nulls_never_fails_on_them(
    tmp_path: Path, select: str, where: str, warned: bool
) -> None:
    up = AUTHORS_NOT_NULL.format(select=select, where=where)
    found = second_file(tmp_path, AUTHORS, up, "sqlite")
    assert bool(lines_of(found, "MH214")) is warned
    assert bool(lines_of(found, "MH218")) is bool(where)
