"""Every lint rule: a violation it must name (file and line) and a clean twin it must not."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.report.catalogue import RULES, default_rule
from migration_harness.report.findings import Finding
from migration_harness.report.lint_rules import LINT_RULES
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);"
PARENT_CHILD = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
    "CREATE TABLE notes (id INTEGER PRIMARY KEY,"
    " user_id INTEGER REFERENCES users(id) ON DELETE CASCADE);\n"
    "CREATE INDEX notes_user ON notes(user_id);"
)
REBUILD = (
    "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT, name TEXT{extra});\n"
    "INSERT INTO users_new (id, email, name) SELECT id, email, name FROM users{filter};\n"
    "DROP TABLE users;\n"
    "ALTER TABLE users_new RENAME TO users;"
)


@dataclass(frozen=True)
class Case:
    """One rule's pair: ``bad`` must be named at ``line``, ``good`` must stay quiet."""

    kind: str
    bad: str
    good: str
    line: int = 1
    history: tuple[str, ...] = (USERS,)
    target: str = "sqlite"
    good_target: str | None = None
    down: str | None = None
    good_down: str | None = None
    in_rollback: bool = False
    options: dict[str, object] = field(default_factory=dict)


CASES = [
    Case("drop-table", "DROP TABLE users;", "CREATE TABLE t (a);\nDROP TABLE t;"),
    Case(
        "drop-column",
        "ALTER TABLE users DROP COLUMN name;",
        "ALTER TABLE users ADD COLUMN nick TEXT;",
    ),
    Case(
        "rebuild-drops-column",
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT);\n"
        "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
        REBUILD.format(extra=", nick TEXT", filter=""),
        line=3,
    ),
    Case(
        "rebuild-copy-omits-column",
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
        "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
        REBUILD.format(extra="", filter=""),
        line=2,
    ),
    Case(
        "recreate-table-empty",
        "DROP TABLE users;\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
        REBUILD.format(extra="", filter=""),
    ),
    Case(
        "delete-without-where",
        "DELETE FROM users;",
        "DELETE FROM users WHERE email IS NULL;",
    ),
    Case(
        "update-without-where",
        "UPDATE users SET name = 'x';",
        "UPDATE users SET name = 'x' WHERE name IS NULL;",
    ),
    Case(
        "add-column-not-null",
        "ALTER TABLE users ADD COLUMN country TEXT NOT NULL;",
        "ALTER TABLE users ADD COLUMN country TEXT NOT NULL DEFAULT 'NL';",
    ),
    Case(
        "unique-on-existing-table",
        "CREATE UNIQUE INDEX users_email ON users(email);",
        "ALTER TABLE users ADD COLUMN handle TEXT;\n"
        "CREATE UNIQUE INDEX users_handle ON users(handle);",
    ),
    Case(
        # The key's columns were UNIQUE already, but NOCASE joins 'a@x' and 'A@x' the old
        # BINARY key kept apart; the twin keeps the key as it was.
        "unique-on-existing-table",
        REBUILD.replace("email TEXT", "email TEXT COLLATE NOCASE UNIQUE").format(
            extra="", filter=""
        ),
        REBUILD.replace("email TEXT", "email TEXT UNIQUE").format(extra="", filter=""),
        line=2,
        history=(USERS.replace("email TEXT", "email TEXT UNIQUE"),),
    ),
    Case(
        "rebuild-narrows-check",
        REBUILD.format(extra=", CHECK (length(name) > 2)", filter=""),
        REBUILD.format(extra="", filter=""),
        line=2,
    ),
    Case(
        "rebuild-adds-not-null",
        REBUILD.replace("email TEXT, name TEXT{extra}", "email TEXT NOT NULL, name TEXT").format(
            filter=""
        ),
        REBUILD.format(extra="", filter=""),
        line=2,
    ),
    Case(
        "insert-select-star",
        "CREATE TABLE users_copy (id INTEGER PRIMARY KEY, name TEXT, email TEXT);\n"
        "INSERT INTO users_copy SELECT * FROM users;",
        "CREATE TABLE users_copy (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
        "INSERT INTO users_copy SELECT * FROM users;",
        line=2,
    ),
    Case(
        "or-ignore-copy",
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT);\n"
        "INSERT OR IGNORE INTO users_new SELECT id, email, name FROM users;",
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
        "INSERT OR IGNORE INTO users_new SELECT id, email, name FROM users;",
        line=2,
    ),
    Case(
        "cast-narrowing",
        "CREATE TABLE codes (id INTEGER PRIMARY KEY, n INTEGER);\n"
        "INSERT INTO codes (id, n) SELECT id, CAST(name AS INTEGER) FROM users;",
        "CREATE TABLE codes (id INTEGER PRIMARY KEY, n TEXT);\n"
        "INSERT INTO codes (id, n) SELECT id, CAST(name AS TEXT) FROM users;",
        line=2,
    ),
    Case(
        "rebuild-copy-filters",
        REBUILD.format(extra="", filter=" WHERE email IS NOT NULL"),
        REBUILD.format(extra="", filter=""),
        line=2,
    ),
    Case(
        "rebuild-resets-autoincrement",
        REBUILD.format(extra="", filter=""),
        REBUILD.format(extra="", filter="")
        + "\nINSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES ('users', 1000);",
        line=3,
        history=("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email, name);",),
    ),
    Case(
        "pragma-foreign-keys-ignored",
        "PRAGMA foreign_keys = OFF;\nDELETE FROM users WHERE email IS NULL;",
        "DELETE FROM users WHERE email IS NULL;",
        history=(
            USERS,
            "CREATE TABLE notes (id INTEGER PRIMARY KEY,"
            " user_id INTEGER REFERENCES users(id) ON DELETE CASCADE);",
        ),
        target="d1",
    ),
    Case(
        "rebuild-cascade",
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT, nick TEXT);\n"
        "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT, nick TEXT);\n"
        "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
        line=3,
        history=(PARENT_CHILD,),
        target="sqlx",
        good_target="golang-migrate",  # keys off: the same rebuild does not cascade
    ),
    Case(
        "orphaning-delete",
        "DELETE FROM users WHERE id = 1;",
        "DELETE FROM users WHERE id = 1;",
        history=(PARENT_CHILD,),
        target="golang-migrate",  # keys off
        good_target="sqlx",  # keys on: the cascade deletes the notes
    ),
    Case(
        "transaction-statement",
        "BEGIN;\nALTER TABLE users ADD COLUMN a TEXT;\nCOMMIT;",
        "SAVEPOINT s;\nALTER TABLE users ADD COLUMN a TEXT;\nRELEASE s;",
        target="golang-migrate",
    ),
    Case(
        "runner-skips-statements",
        "ALTER TABLE users ADD COLUMN a TEXT;\nCREATE INDEX users_a ON users (a);",
        "ALTER TABLE users ADD COLUMN a TEXT;",
        target="postgrator-query",
    ),
    Case(
        "rename-referenced-table",
        "CREATE VIEW named AS SELECT name FROM users;\nALTER TABLE users RENAME TO users_old;\n"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
        "CREATE VIEW named AS SELECT 1 AS one;\nALTER TABLE users RENAME TO users_old;\n"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
        line=2,
    ),
    Case(
        "vacuum-in-transaction",
        "VACUUM;",
        "ANALYZE;",
        target="golang-migrate",
    ),
    Case(
        "drop-column-refused",
        "CREATE INDEX users_name ON users(name);\nALTER TABLE users DROP COLUMN name;",
        "ALTER TABLE users DROP COLUMN name;",
        line=2,
    ),
    Case(
        "add-column-volatile-default",
        "ALTER TABLE users ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP;",
        "ALTER TABLE users ADD COLUMN created_at TEXT DEFAULT '1970-01-01';",
    ),
    Case(
        "fk-parent-not-unique",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT REFERENCES users(email));\n"
        "CREATE INDEX posts_author ON posts(author);",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES users(id));\n"
        "CREATE INDEX posts_author ON posts(author);",
    ),
    Case(
        # A parent table that is not there after the file: 'no such table' on every write.
        "fk-parent-not-unique",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES user(id));\n"
        "CREATE INDEX posts_author ON posts(author);",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES users(id));\n"
        "CREATE INDEX posts_author ON posts(author);",
    ),
    Case(
        # SQLite accepts a trigger body naming a table no file creates; its writes fail.
        "dangling-reference",
        "CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN\n"
        "    INSERT INTO user_audit (user_id) VALUES (NEW.id);\nEND;",
        "CREATE TABLE user_audit (user_id INTEGER);\n"
        "CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN\n"
        "    INSERT INTO user_audit (user_id) VALUES (NEW.id);\nEND;",
    ),
    Case(
        # A view left over a table the file drops: every read fails.
        "dangling-reference",
        "DROP TABLE users;",
        "DROP VIEW user_emails;\nDROP TABLE users;",
        history=(USERS, "CREATE VIEW user_emails AS SELECT email FROM users;"),
    ),
    Case(
        # The rebuilt table is typed from memory: name's DEFAULT '' is gone, so an INSERT
        # that leaves name out stores NULL. A DEFAULT changed to another one is a decision.
        "rebuild-drops-default-collate",
        REBUILD.format(extra="", filter=""),
        REBUILD.replace("name TEXT{extra}", "name TEXT DEFAULT 'anon'").format(filter=""),
        history=("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT DEFAULT '');",),
    ),
    Case(
        # email's COLLATE NOCASE is lost (lookups turn case-sensitive); COLLATE BINARY
        # spelt out says the file means it.
        "rebuild-drops-default-collate",
        REBUILD.format(extra="", filter=""),
        REBUILD.replace("email TEXT,", "email TEXT COLLATE BINARY,").format(extra="", filter=""),
        history=(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT COLLATE NOCASE, name TEXT);",
        ),
    ),
    Case(
        # A seeded 64-bit id the Worker reads as another number; the twin stores it as
        # text, and compares one in a WHERE (that stays inside SQLite).
        "d1-unsafe-integer",
        "INSERT INTO users (id, email, name) VALUES (9007199254740993, 'a@b.c', 'x');",
        "INSERT INTO users (id, email, name) VALUES (1, '9007199254740993', 'x');\n"
        "UPDATE users SET name = 'y' WHERE id < 9007199254740993;",
        target="d1",
    ),
    Case(
        # Merging users named alike: ON DELETE CASCADE takes the notes of every user merged
        # away. The twin points the notes at the user that stays first; a plain filter
        # (every row alike goes) is no merge.
        "merge-cascades",
        "DELETE FROM users WHERE id NOT IN (SELECT min(id) FROM users GROUP BY name);",
        "UPDATE notes SET user_id = (SELECT min(u2.id) FROM users u2 WHERE u2.name = "
        "(SELECT name FROM users WHERE id = notes.user_id));\n"
        "DELETE FROM users WHERE id NOT IN (SELECT min(id) FROM users GROUP BY name);\n"
        "DELETE FROM users WHERE name = 'spam';",
        history=(PARENT_CHILD,),
    ),
    Case(
        # One note whose user_id is NULL makes NOT IN NULL for every user: nobody is
        # renamed. The twin leaves the NULLs out of the subquery.
        "not-in-nullable",
        "UPDATE users SET name = 'lurker' WHERE id NOT IN (SELECT user_id FROM notes);",
        "UPDATE users SET name = 'lurker' WHERE id NOT IN "
        "(SELECT user_id FROM notes WHERE user_id IS NOT NULL);\n"
        "DELETE FROM notes WHERE id NOT IN (SELECT id FROM users);",
        history=(PARENT_CHILD,),
    ),
    Case(
        # The rebuild re-types the table from memory and leaves out email's UNIQUE;
        # the twin creates the UNIQUE index after the rename.
        "rebuild-drops-constraint",
        REBUILD.format(extra="", filter=""),
        REBUILD.format(extra="", filter="") + "\nCREATE UNIQUE INDEX users_email ON users(email);",
        history=("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT);",),
    ),
    Case(
        # A CHECK lost; the twin keeps a (changed) CHECK on the same column: its decision.
        "rebuild-drops-constraint",
        REBUILD.format(extra="", filter=""),
        REBUILD.format(extra=" CHECK (length(name) < 200)", filter=""),
        history=(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT,"
            " name TEXT CHECK (length(name) < 100));",
        ),
    ),
    Case(
        # A FOREIGN KEY lost (orphans get in, the cascade is gone); the twin keeps it.
        "rebuild-drops-constraint",
        "CREATE TABLE notes_new (id INTEGER PRIMARY KEY, user_id INTEGER);\n"
        "INSERT INTO notes_new (id, user_id) SELECT id, user_id FROM notes;\n"
        "DROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;",
        "CREATE TABLE notes_new (id INTEGER PRIMARY KEY,"
        " user_id INTEGER REFERENCES users(id) ON DELETE CASCADE);\n"
        "INSERT INTO notes_new (id, user_id) SELECT id, user_id FROM notes;\n"
        "DROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;",
        history=(PARENT_CHILD,),
    ),
    Case(
        # Widening email's UNIQUE by a column the table had (name) lets duplicates of an
        # e-mail in; the twin scopes it by a tenant column the rebuild adds (every copied
        # row gets tenant 'default'): the multi-tenant move the file is about.
        "rebuild-drops-constraint",
        REBUILD.format(extra=", UNIQUE (email, name)", filter=""),
        REBUILD.replace(
            "name TEXT{extra}",
            "name TEXT, tenant TEXT NOT NULL DEFAULT 'default', UNIQUE (tenant, email)",
        ).format(filter=""),
        history=("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT);",),
    ),
    Case(
        # A FOREIGN KEY lost; the twin keeps it inside a composite key scoped by a new
        # tenant column (users is UNIQUE on (tenant, id)).
        "rebuild-drops-constraint",
        "CREATE TABLE notes_new (id INTEGER PRIMARY KEY, user_id INTEGER);\n"
        "INSERT INTO notes_new (id, user_id) SELECT id, user_id FROM notes;\n"
        "DROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;",
        "CREATE TABLE notes_new (id INTEGER PRIMARY KEY, user_id INTEGER,"
        " tenant TEXT NOT NULL DEFAULT 'default',"
        " FOREIGN KEY (tenant, user_id) REFERENCES users(tenant, id));\n"
        "INSERT INTO notes_new (id, user_id) SELECT id, user_id FROM notes;\n"
        "DROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;",
        history=(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL"
            " DEFAULT 'default', name TEXT, UNIQUE (tenant, id));",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));",
        ),
    ),
    Case(
        # DROP TABLE takes the old table's indexes: the rebuild never re-creates this one.
        "rebuild-drops-dependents",
        REBUILD.format(extra=", nick TEXT", filter=""),
        REBUILD.format(extra=", nick TEXT", filter="")
        + "\nCREATE UNIQUE INDEX users_email ON users(email);",
        line=3,
        history=(USERS, "CREATE UNIQUE INDEX users_email ON users(email);"),
    ),
    Case(
        # An index the new table's key serves (stash 35: "removed in favour of primary
        # key") is no loss; a lookup index nothing serves is.
        "rebuild-drops-dependents",
        REBUILD.format(extra=", nick TEXT", filter=""),
        REBUILD.replace("name TEXT{extra})", "name TEXT, nick TEXT, UNIQUE (email, name))").format(
            filter=""
        ),
        line=3,
        history=(USERS, "CREATE INDEX users_email ON users(email);"),
    ),
    Case(
        # A rollback's rebuild must put back the triggers from before its migration.
        "rebuild-drops-dependents",
        "ALTER TABLE users ADD COLUMN nick TEXT;",
        "ALTER TABLE users ADD COLUMN nick TEXT;",
        line=3,
        history=(
            USERS,
            "CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN\n"
            "    UPDATE users SET name = NEW.name WHERE id = NEW.id;\nEND;",
        ),
        down=REBUILD.replace("users_new", "users_old").format(extra="", filter=""),
        good_down="ALTER TABLE users DROP COLUMN nick;",
        in_rollback=True,
    ),
    Case(
        # ... nor this trigger (an index dropped by name is the file's word: quiet)
        "rebuild-drops-dependents",
        REBUILD.format(extra=", nick TEXT", filter=""),
        "DROP TRIGGER users_touch;\n" + REBUILD.format(extra=", nick TEXT", filter=""),
        line=3,
        history=(
            USERS,
            "CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN\n"
            "    UPDATE users SET name = NEW.name WHERE id = NEW.id;\nEND;",
        ),
    ),
    Case(
        # REPLACE deletes the row already there first: ON DELETE CASCADE takes its notes.
        "replace-cascades",
        "INSERT OR REPLACE INTO users (id, name) VALUES (1, 'admin');",
        "INSERT INTO users (id, name) VALUES (1, 'admin')\n"
        "    ON CONFLICT (id) DO UPDATE SET name = excluded.name;",
        history=(PARENT_CHILD,),
    ),
    Case(
        # REPLACE INTO is the same statement (sqlglot reads it as a command).
        "replace-cascades",
        "REPLACE INTO users (id, name) VALUES (1, 'admin');",
        "INSERT OR IGNORE INTO users (id, name) VALUES (1, 'admin');",
        history=(PARENT_CHILD,),
    ),
    Case(
        # A quoted call is text: the rows store the words. 'pending' or 'N/A' stay quiet.
        "default-is-text",
        "CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT DEFAULT 'datetime(''now'')');",
        "CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT DEFAULT (datetime('now')),"
        " state TEXT DEFAULT 'pending', note TEXT DEFAULT \"N/A\");",
    ),
    Case(
        # SQLite refuses a STORED generated column on a table with rows; VIRTUAL is fine.
        "add-column-refused",
        "ALTER TABLE users ADD COLUMN tag TEXT AS (lower(email)) STORED;",
        "ALTER TABLE users ADD COLUMN tag TEXT AS (lower(email)) VIRTUAL;",
    ),
    Case(
        # ... a column whose DEFAULT fails its CHECK (every existing row holds it) ...
        "add-column-refused",
        "ALTER TABLE users ADD COLUMN stock INTEGER NOT NULL DEFAULT 0 CHECK (stock > 0);",
        "ALTER TABLE users ADD COLUMN stock INTEGER NOT NULL DEFAULT 1 CHECK (stock > 0);",
    ),
    Case(
        # ... and, keys on, a REFERENCES column with a non-NULL default (NULL is fine).
        "add-column-refused",
        "ALTER TABLE notes ADD COLUMN editor_id INTEGER DEFAULT 1 REFERENCES users(id);",
        "ALTER TABLE notes ADD COLUMN editor_id INTEGER DEFAULT NULL REFERENCES users(id);",
        history=(PARENT_CHILD,),
    ),
    Case(
        # A column the file adds and backfills from the rows' own values can repeat: the
        # new UNIQUE index fails on two names alike but for case; a copy of the id cannot.
        "unique-on-existing-table",
        "ALTER TABLE users ADD COLUMN slug TEXT;\n"
        "UPDATE users SET slug = lower(name);\n"
        "CREATE UNIQUE INDEX users_slug ON users(slug);",
        "ALTER TABLE users ADD COLUMN public_id INTEGER;\n"
        "UPDATE users SET public_id = id;\n"
        "CREATE UNIQUE INDEX users_public_id ON users(public_id);",
        line=3,
    ),
    Case(
        # The clock in an expression index: refused once a row exists (plain columns: fine).
        "non-deterministic-expression",
        "CREATE INDEX users_age ON users (julianday('now') - julianday(name));",
        "CREATE INDEX users_age ON users (julianday(name));",
    ),
    Case(
        # ... in a partial index's WHERE ...
        "non-deterministic-expression",
        "CREATE INDEX users_recent ON users (name) WHERE name > datetime('now');",
        "CREATE INDEX users_recent ON users (name) WHERE name > '2024-01-01';",
    ),
    Case(
        # ... and in a new table's CHECK: every INSERT fails.
        "non-deterministic-expression",
        "CREATE TABLE invites (id INTEGER PRIMARY KEY,\n"
        "    expires_at TEXT CHECK (expires_at > datetime('now')));",
        "CREATE TABLE invites (id INTEGER PRIMARY KEY,\n"
        "    expires_at TEXT CHECK (expires_at > datetime(expires_at, '-1 day')));",
        line=2,
    ),
    Case(
        # A data fix comparing with NULL by = matches no row: the UPDATE changes nothing.
        "null-comparison",
        "UPDATE users SET name = 'anonymous' WHERE email = NULL;",
        "UPDATE users SET name = NULL WHERE email IS NULL;",
    ),
    Case(
        # ... one branch of an OR: the DELETE still runs, that part never matches.
        "null-comparison",
        "DELETE FROM users\nWHERE name = '' OR email <> NULL;",
        "DELETE FROM users\nWHERE name = '' OR email IS NOT NULL;",
        line=2,
    ),
    Case(
        # ... NOT (x = NULL) and NOT IN (…, NULL) are never true either.
        "null-comparison",
        "UPDATE users SET name = lower(name) WHERE NOT (email = NULL);",
        "UPDATE users SET name = lower(name) WHERE email NOT IN ('a@x.org', 'b@x.org');",
    ),
    Case(
        "null-comparison",
        "UPDATE users SET name = lower(name) WHERE email NOT IN ('a@x.org', NULL);",
        "UPDATE users SET name = lower(name) WHERE email IN ('a@x.org', NULL);",
    ),
    Case(
        # A backfill's CASE WHEN x = NULL never takes its branch: every row gets the ELSE.
        "null-comparison",
        "UPDATE users SET name = CASE WHEN email = NULL THEN 'guest' ELSE name END\n"
        "WHERE name IS NULL;",
        "UPDATE users SET name = CASE WHEN email IS NULL THEN 'guest' ELSE name END\n"
        "WHERE name IS NULL;",
    ),
    Case(
        # ... CASE x WHEN NULL compares x = NULL ...
        "null-comparison",
        "UPDATE users SET name = CASE email WHEN NULL THEN 'guest' ELSE name END;",
        "UPDATE users SET name = CASE email WHEN '' THEN 'guest' ELSE name END;",
    ),
    Case(
        # ... and a copy's LEFT JOIN … ON … = NULL never matches: every row gets NULLs.
        "null-comparison",
        "CREATE TABLE pairs AS SELECT a.id, b.id AS twin FROM users a\n"
        "LEFT JOIN users b ON b.email = a.email AND b.name = NULL;",
        "CREATE TABLE pairs AS SELECT a.id, b.id AS twin FROM users a\n"
        "LEFT JOIN users b ON b.email = a.email AND b.name IS NULL;",
        line=2,
    ),
    Case(
        # A partial UNIQUE index over x = NULL holds no row and enforces nothing.
        "null-comparison",
        "CREATE UNIQUE INDEX users_live_email ON users (email) WHERE name != NULL;",
        "CREATE UNIQUE INDEX users_live_email ON users (email) WHERE name IS NOT NULL;",
    ),
    Case(
        # A CHECK (x <> NULL) refuses nothing: a CHECK fails only when false.
        "null-comparison",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY,\n    label TEXT CHECK (label <> NULL));",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY,\n    label TEXT CHECK (label IS NOT NULL));",
        line=2,
    ),
    Case(
        # A trigger whose WHEN compares with NULL never fires.
        "null-comparison",
        "CREATE TRIGGER users_named AFTER UPDATE ON users WHEN NEW.name = NULL\n"
        "BEGIN UPDATE users SET email = NULL WHERE id = NEW.id; END;",
        "CREATE TRIGGER users_named AFTER UPDATE ON users WHEN NEW.name IS NULL\n"
        "BEGIN UPDATE users SET email = NULL WHERE id = NEW.id; END;",
    ),
    Case(
        # users exists already (history): the guarded CREATE is skipped, nick never exists.
        "guarded-create-skipped",
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, name TEXT,\n"
        "    nick TEXT);",
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
    ),
    Case(
        # ... nor a UNIQUE key the new definition adds; one holding the rowid key is no key.
        "guarded-create-skipped",
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT UNIQUE,\n"
        "    name TEXT);",
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, name TEXT,\n"
        "    UNIQUE (id, email));",
    ),
    Case(
        # A plain index holds the name: the UNIQUE one is never made.
        "guarded-create-skipped",
        "CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (email);",
        "DROP INDEX users_email;\nCREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (email);",
        history=(USERS + "\nCREATE INDEX users_email ON users (email);",),
    ),
    Case(
        # A view "changed" under IF NOT EXISTS keeps its old body; spelt alike, it is quiet.
        "guarded-create-skipped",
        "CREATE VIEW IF NOT EXISTS named AS SELECT id, name FROM users WHERE name <> '';",
        'create view if not exists NAMED as select id,  name from "users";',
        history=(USERS + "\nCREATE VIEW named AS SELECT id, name FROM users;",),
    ),
    Case(
        # The up moves users.email into a new table; the down re-adds it and drops the
        # table unread. Copying the values back first is quiet.
        "down-drops-moved-values",
        "CREATE TABLE user_emails (user_id INTEGER PRIMARY KEY, email TEXT);\n"
        "INSERT INTO user_emails (user_id, email) SELECT id, email FROM users;\n"
        "ALTER TABLE users DROP COLUMN email;",
        "CREATE TABLE user_emails (user_id INTEGER PRIMARY KEY, email TEXT);\n"
        "INSERT INTO user_emails (user_id, email) SELECT id, email FROM users;\n"
        "ALTER TABLE users DROP COLUMN email;",
        line=2,
        down="ALTER TABLE users ADD COLUMN email TEXT;\nDROP TABLE user_emails;",
        good_down="ALTER TABLE users ADD COLUMN email TEXT;\n"
        "UPDATE users SET email = (SELECT e.email FROM user_emails AS e"
        " WHERE e.user_id = users.id);\nDROP TABLE user_emails;",
        in_rollback=True,
    ),
    Case(
        # INT is not INTEGER: the rebuilt id keeps its values but is no rowid any more.
        "rowid-alias-lost",
        REBUILD.replace("id INTEGER PRIMARY KEY", "id INT PRIMARY KEY").format(extra="", filter=""),
        REBUILD.format(extra="", filter=""),
    ),
    Case(
        "set-null-not-null",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY,"
        " author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE SET NULL);\n"
        "CREATE INDEX posts_author ON posts(author_id);",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY,"
        " author_id INTEGER REFERENCES users(id) ON DELETE SET NULL);\n"
        "CREATE INDEX posts_author ON posts(author_id);",
    ),
    Case(
        # Keys on (the sqlite target): the rebuild's DROP deletes the parent rows first and
        # the NO ACTION key of notes refuses it; defer_foreign_keys moves the check to the
        # commit, and turning it off before the commit clears what the DROP counted (the
        # renamed copy holds the same ids).
        "drop-parent-refused",
        REBUILD.replace("email TEXT, ", "").replace("email, ", "").format(extra="", filter=""),
        "PRAGMA defer_foreign_keys = ON;\nBEGIN;\n"
        + REBUILD.replace("email TEXT, ", "").replace("email, ", "").format(extra="", filter="")
        + "PRAGMA defer_foreign_keys = OFF;\nCOMMIT;\n",
        line=3,
        history=(PARENT_CHILD.replace(" ON DELETE CASCADE", ""),),
    ),
    Case(
        # RESTRICT refuses the DROP's delete at once; defer_foreign_keys turns RESTRICT's
        # action off too (fkey.c), so the deferred rebuild applies once OFF clears the count.
        "drop-parent-refused",
        REBUILD.replace("email TEXT, ", "").replace("email, ", "").format(extra="", filter=""),
        "PRAGMA defer_foreign_keys = ON;\nBEGIN;\n"
        + REBUILD.replace("email TEXT, ", "").replace("email, ", "").format(extra="", filter="")
        + "PRAGMA defer_foreign_keys = OFF;\nCOMMIT;\n",
        line=3,
        history=(PARENT_CHILD.replace(" ON DELETE CASCADE", " ON DELETE RESTRICT"),),
    ),
    Case(
        "fk-index-collation",
        "CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE);\n"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT REFERENCES users(email));\n"
        "CREATE INDEX posts_author ON posts(author);",
        "CREATE UNIQUE INDEX users_email ON users(email);\n"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT REFERENCES users(email));\n"
        "CREATE INDEX posts_author ON posts(author);",
        line=2,
        history=("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",),
    ),
    Case(
        "function-too-new",
        "UPDATE users SET name = concat(name, '!') WHERE id = 1;",
        "UPDATE users SET name = name || '!' WHERE id = 1;",
        options={"sqlite_version": (3, 40, 0)},
    ),
    Case(
        "double-quoted-string",
        'UPDATE users SET name = "anonymous" WHERE id = 1;',
        "UPDATE users SET name = 'anonymous' WHERE \"id\" = 1;",
    ),
    Case(
        "quoted-name-as-text",
        'INSERT INTO users (id, email) SELECT id, "email" FROM (SELECT 1 AS id);',
        "INSERT INTO users (id, email) SELECT id, 'email' FROM (SELECT 1 AS id);",
    ),
    Case(
        "foreign-dialect",
        "CREATE INDEX users_name ON users(name);\nDROP INDEX users_name ON users;",
        "CREATE INDEX users_name ON users(name);\nDROP INDEX users_name;",
        line=2,
    ),
    Case(
        "edits-sqlite-schema",
        "PRAGMA writable_schema = ON;\n"
        "UPDATE sqlite_master SET sql = replace(sql, 'name TEXT', 'name TEXT NOT NULL')"
        " WHERE name = 'users';\nPRAGMA writable_schema = OFF;",
        "UPDATE users SET name = '' WHERE name IS NULL;",
        line=2,
    ),
    Case(
        "ignores-check-constraints",
        "PRAGMA ignore_check_constraints = ON;\nUPDATE users SET name = '' WHERE id = 1;",
        "PRAGMA ignore_check_constraints = OFF;\nUPDATE users SET name = '' WHERE id = 1;",
    ),
    Case(
        "statement-fails",
        "CREATE INDEX posts_title ON posts(title);",
        "CREATE INDEX users_name ON users(name);",
    ),
    Case(
        "d1-too-many-columns",
        "CREATE TABLE wide (" + ", ".join(f"c{i} TEXT" for i in range(101)) + ");",
        "CREATE TABLE wide (" + ", ".join(f"c{i} TEXT" for i in range(100)) + ");",
        target="d1",
    ),
    Case(
        "d1-statement-too-long",
        "INSERT INTO users (name) VALUES ('" + "x" * 100_001 + "');",
        "INSERT INTO users (name) VALUES ('" + "x" * 1_000 + "');",
        target="d1",
    ),
    Case(
        "d1-too-many-arguments",
        "UPDATE users SET name = json_array(" + ", ".join(["1"] * 33) + ");",
        "UPDATE users SET name = json_array(" + ", ".join(["1"] * 32) + ");",
        target="d1",
    ),
    Case("d1-attach", "ATTACH DATABASE 'x.db' AS x;", "SELECT 1;", target="d1"),
    Case("d1-refused-pragma", "PRAGMA user_version = 3;", "PRAGMA optimize;", target="d1"),
    Case(
        "d1-temp-object",
        "CREATE TEMP TABLE scratch (a);",
        "CREATE TABLE scratch (a);\nDROP TABLE scratch;",
        target="d1",
    ),
    Case("d1-reserved-name", "CREATE TABLE _cf_kv (a);", "CREATE TABLE cf_kv (a);", target="d1"),
    Case("d1-vacuum", "VACUUM;", "ANALYZE;", target="d1"),
    Case(
        "d1-sqlite-version",
        "INSERT INTO users (name) SELECT sqlite_version();",
        "INSERT INTO users (name) SELECT 'v';",
        target="d1",
    ),
    Case(
        "d1-unterminated",
        "ALTER TABLE users ADD COLUMN a TEXT;\nALTER TABLE users ADD COLUMN b TEXT",
        "ALTER TABLE users ADD COLUMN a TEXT;\nALTER TABLE users ADD COLUMN b TEXT;",
        line=2,
        target="d1",
    ),
    Case(
        # The down deletes the seeded user by name, which is no key: every Ada goes.
        "down-deletes-beyond-seed",
        "INSERT INTO users (email, name) VALUES ('ops@example.com', 'Ada');",
        "INSERT INTO users (id, email, name) VALUES (1000, 'ops@example.com', 'Ada');",
        down="DELETE FROM users WHERE name = 'Ada';",
        good_down="DELETE FROM users WHERE id = 1000;",
        in_rollback=True,
    ),
    Case(
        "down-leaves-object",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\nCREATE INDEX users_name ON users(name);",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\nCREATE INDEX users_name ON users(name);",
        down="DROP TABLE tags;",
        good_down="DROP INDEX users_name;\nDROP TABLE tags;",
        in_rollback=True,
    ),
    Case(
        # A trigger is no part of its table's record: the rollback's diff must still see it.
        "down-leaves-object",
        "CREATE TRIGGER users_trim AFTER INSERT ON users BEGIN\n"
        "UPDATE users SET name = trim(NEW.name) WHERE id = NEW.id; END;",
        "CREATE TRIGGER users_trim AFTER INSERT ON users BEGIN\n"
        "UPDATE users SET name = trim(NEW.name) WHERE id = NEW.id; END;",
        down="SELECT 1;",
        good_down="DROP TRIGGER users_trim;",
        in_rollback=True,
    ),
    Case(
        "down-changes-object",
        "ALTER TABLE users ADD COLUMN nick TEXT;",
        "ALTER TABLE users ADD COLUMN nick TEXT;",
        down="CREATE TABLE users_old (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
        "INSERT INTO users_old (id, email, name) SELECT id, email, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_old RENAME TO users;",
        good_down="ALTER TABLE users DROP COLUMN nick;",
        in_rollback=True,
    ),
    Case(
        "create-without-guard",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);",
        "CREATE TABLE IF NOT EXISTS tags (id INTEGER PRIMARY KEY);",
        options={"tracked": False},
    ),
    Case(
        "fk-without-index",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"
        "CREATE INDEX posts_user ON posts(user_id);",
    ),
    Case(
        "redundant-index",
        "CREATE INDEX users_email_name ON users(email, name);\n"
        "CREATE INDEX users_email ON users(email);",
        "CREATE INDEX users_email_name ON users(email, name);\n"
        "CREATE INDEX users_name ON users(name);",
        line=2,
    ),
]


def _lint(
    tmp_path: Path, case: Case, up: str, down: str | None, target: str | None = None
) -> list[Finding]:
    """Write the case's history and ``up`` as a harness set and lint it."""
    migrations = tmp_path / "migrations"
    rollbacks = tmp_path / "rollbacks"
    migrations.mkdir()
    rollbacks.mkdir()
    history = list(case.history)
    files = [*history, up]
    for i, sql in enumerate(files, start=1):
        (migrations / f"{i:04d}_step.sql").write_text(sql + "\n", encoding="utf-8")
    if down is not None:
        (rollbacks / f"{len(files):04d}_rollback.sql").write_text(down + "\n", encoding="utf-8")
    mset = discover(tmp_path)
    version = case.options.get("sqlite_version")
    tracked = case.options.get("tracked", True)
    return lint_set(
        mset,
        get_target(target or case.target),
        tracked=bool(tracked),
        sqlite_version=version if isinstance(version, tuple) else None,
    )


def _ids(cases: list[Case]) -> list[str]:
    return [c.kind for c in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_rule_names_the_violation(tmp_path: Path, case: Case) -> None:
    findings = _lint(tmp_path, case, case.bad, case.down)
    folder = "rollbacks" if case.in_rollback else "migrations"
    last = str(sorted((tmp_path / folder).iterdir())[-1])
    hits = [f for f in findings if f.kind == case.kind and f.file == last]
    assert hits, f"{case.kind} not reported; got {[f.kind for f in findings]}"
    assert hits[0].line == case.line
    assert hits[0].code == default_rule(case.kind).code


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_rule_quiet_on_clean_twin(tmp_path: Path, case: Case) -> None:
    findings = _lint(
        tmp_path, case, case.good, case.good_down or case.down, case.good_target or case.target
    )
    folder = "rollbacks" if case.in_rollback else "migrations"
    last = str(sorted((tmp_path / folder).iterdir())[-1])
    assert [f for f in findings if f.kind == case.kind and f.file == last] == []


# Rules read from git history or from this machine, not from the files alone: their
# planted cases and clean twins build repositories (or a machine's SQLite) of their own.
GIT_CASES = {
    "renamed-shipped-migration": "tests/test_renames.py",
    "function-maybe-too-new": "tests/test_sqlite_version.py",
}


def test_every_lint_rule_has_a_case() -> None:
    kinds = {row[1] for row in LINT_RULES}
    assert kinds == {c.kind for c in CASES} | set(GIT_CASES)
    assert all((Path(__file__).parent.parent / p).is_file() for p in GIT_CASES.values())
    assert len(kinds) >= 30


def test_lint_codes_are_in_their_family_ranges() -> None:
    for code, kind, *_ in LINT_RULES:
        assert RULES[code].kind == kind
        assert 200 < int(code[2:]) < 500


def test_every_lint_rule_has_a_docs_row() -> None:
    text = (Path(__file__).parent.parent / "docs" / "LINT.md").read_text(encoding="utf-8")
    for code, kind, *_ in LINT_RULES:
        assert f"| {code} | `{kind}` |" in text, code


def _files(root: Path, *files: str) -> Path:
    """A harness set of forward files only, ``NNNN_step.sql`` in order."""
    (root / "migrations").mkdir()
    for i, sql in enumerate(files, start=1):
        (root / "migrations" / f"{i:04d}_step.sql").write_text(sql, encoding="utf-8")
    return root


def _steps(root: Path, steps: dict[str, tuple[str, str]]) -> list[Finding]:
    """Lint a harness set of ``NNNN_name`` -> (forward file, rollback or ""), on sqlite."""
    (root / "migrations").mkdir()
    (root / "rollbacks").mkdir()
    for name, (up, down) in steps.items():
        (root / "migrations" / f"{name}.sql").write_text(up, encoding="utf-8")
        if down:
            (root / "rollbacks" / f"{name[:4]}_rollback.sql").write_text(down, encoding="utf-8")
    return lint_set(discover(root), get_target("sqlite"))


def _set(tmp_path: Path, *files: str) -> list[Finding]:
    """Lint a harness set of forward files only, on the sqlite target."""
    return lint_set(discover(_files(tmp_path, *files)), get_target("sqlite"))


@pytest.mark.parametrize(
    ("change", "fires"),
    [
        ("DROP INDEX shops_code;", True),
        ("DROP INDEX shops_code;\nCREATE UNIQUE INDEX shops_code_u ON shops(code);", False),
    ],
    ids=["dropped", "replaced"],
)
def test_a_parent_key_index_dropped_under_an_existing_key(
    tmp_path: Path, change: str, fires: bool
) -> None:
    """An untouched child's key breaks when the file removes the UNIQUE index it needs."""
    findings = _set(
        tmp_path,
        "CREATE TABLE shops (id INTEGER PRIMARY KEY, code TEXT);\n"
        "CREATE UNIQUE INDEX shops_code ON shops(code);\n"
        "CREATE TABLE items (id INTEGER PRIMARY KEY, shop TEXT REFERENCES shops(code));\n"
        "CREATE INDEX items_shop ON items(shop);",
        change,
    )
    last = [f for f in findings if f.file and f.file.endswith("0002_step.sql")]
    assert ("fk-parent-not-unique" in {f.kind for f in last}) is fires


def test_a_dead_case_branch_giving_null_is_quiet(tmp_path: Path) -> None:
    """CASE name WHEN NULL THEN NULL ELSE …: a NULL name gets the ELSE, NULL as well."""
    up = (
        "UPDATE users SET name = CASE name WHEN '' THEN NULL WHEN NULL THEN NULL\n"
        "    ELSE trim(name) END WHERE name IS NOT NULL;"
    )
    assert "null-comparison" not in {f.kind for f in _set(tmp_path, USERS, up)}


def test_a_rebuild_retyping_the_id_as_text_is_no_lost_rowid_alias(tmp_path: Path) -> None:
    """INTEGER to TEXT PRIMARY KEY: the application now supplies the ids (UUIDs)."""
    findings = _set(
        tmp_path,
        USERS,
        REBUILD.replace("id INTEGER PRIMARY KEY", "id TEXT PRIMARY KEY").format(
            extra="", filter=""
        ),
    )
    assert "rowid-alias-lost" not in {f.kind for f in findings}


def test_a_rebuild_turning_a_nocase_key_binary_is_quiet(tmp_path: Path) -> None:
    """BINARY is the finest collation: rows apart under NOCASE stay apart, no copy clashes."""
    findings = _set(
        tmp_path,
        USERS.replace("email TEXT", "email TEXT COLLATE NOCASE UNIQUE"),
        REBUILD.replace("email TEXT", "email TEXT UNIQUE").format(extra="", filter=""),
    )
    assert "unique-on-existing-table" not in {f.kind for f in findings}


def test_widening_a_check_in_a_rebuild_is_quiet(tmp_path: Path) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE a (id INTEGER PRIMARY KEY, plan TEXT CHECK (plan IN ('free', 'pro')));",
        "CREATE TABLE a_new (id INTEGER PRIMARY KEY,"
        " plan TEXT CHECK (plan IN ('free', 'pro', 'team')));\n"
        "INSERT INTO a_new (id, plan) SELECT id, plan FROM a;\n"
        "DROP TABLE a;\nALTER TABLE a_new RENAME TO a;",
    )
    assert "rebuild-narrows-check" not in {f.kind for f in findings}


@pytest.mark.parametrize(
    ("default", "fires"),
    [("'member'", False), ("NULL", False), ("'guest'", True)],
)
def test_a_check_on_a_new_column_reads_its_default_in_every_copied_row(
    tmp_path: Path, default: str, fires: bool
) -> None:
    # The copy leaves the new column out: each copied row holds its DEFAULT, so the CHECK
    # fails on existing rows only when the default breaks it (a NULL default passes it).
    findings = _set(
        tmp_path,
        "CREATE TABLE a (id INTEGER PRIMARY KEY, plan TEXT);",
        "CREATE TABLE a_new (id INTEGER PRIMARY KEY, plan TEXT,"
        f" role TEXT DEFAULT {default} CHECK (role IN ('member', 'admin')));\n"
        "INSERT INTO a_new (id, plan) SELECT id, plan FROM a;\n"
        "DROP TABLE a;\nALTER TABLE a_new RENAME TO a;",
    )
    assert ("rebuild-narrows-check" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("assignments", "fires"),
    [("slug = lower(name)", False), ("slug = lower(name), name = trim(name)", True)],
)
def test_a_backfill_of_a_column_the_file_added_overwrites_nothing(
    tmp_path: Path, assignments: str, fires: bool
) -> None:
    # Every row holds the new column's default: only an old column's values can be lost.
    findings = _set(
        tmp_path,
        USERS,
        f"ALTER TABLE users ADD COLUMN slug TEXT;\nUPDATE users SET {assignments};",
    )
    assert ("update-without-where" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("select", "fires"),
    [
        # new ids after the last admin, the old one kept: every row and column lives on
        (
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM admins) + id, email, name, id FROM users",
            False,
        ),
        # twins: the other table joined in (its rows decide), a column left out
        (
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM admins) + u.id, u.email, u.name, u.id "
            "FROM users AS u JOIN admins AS a ON a.email = u.email",
            True,
        ),
        ("SELECT (SELECT COALESCE(MAX(id), 0) FROM admins) + id, email, NULL, id FROM users", True),
    ],
)
def test_a_table_merged_into_another_under_new_ids_loses_no_rows(
    tmp_path: Path, select: str, fires: bool
) -> None:
    # users merged into admins: the scalar subquery numbering the new ids reads admins
    # but gives the copy no row, so users still moves whole (clean_events_sqitch's comp
    # tickets merged into tickets).
    findings = _set(
        tmp_path,
        USERS + "\nCREATE TABLE admins (id INTEGER PRIMARY KEY, email TEXT, name TEXT,"
        " old_user_id INTEGER);",
        f"INSERT INTO admins (id, email, name, old_user_id) {select};\nDROP TABLE users;",
    )
    assert ("drop-table" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("select", "fires"),
    [
        ("SELECT id, email, name FROM users", False),
        ("SELECT * FROM users", False),
        ("SELECT id, email, name FROM users WHERE true", False),  # filters nothing
        ("SELECT id, email, name FROM users WHERE email IS NOT NULL", True),
        ("SELECT id, name FROM users", True),
    ],
)
def test_a_table_moved_whole_to_a_new_name_loses_no_rows(
    tmp_path: Path, select: str, fires: bool
) -> None:
    # A rename by copying: every row and column lives on in people, unless the copy
    # filters rows or leaves a column out.
    findings = _set(
        tmp_path,
        USERS,
        "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
        f"INSERT INTO people (id, email, name) {select.replace('id, name', 'id, NULL, name')};\n"
        "DROP TABLE users;",
    )
    assert ("drop-table" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("select", "fires"),
    [('SELECT id, "e-mail", name FROM users', False), ("SELECT id, NULL, name FROM users", True)],
)
def test_a_rebuild_that_renames_a_column_in_its_copy_keeps_its_values(
    tmp_path: Path, select: str, fires: bool
) -> None:
    findings = _set(
        tmp_path,
        'CREATE TABLE users (id INTEGER PRIMARY KEY, "e-mail" TEXT, name TEXT);',
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
        f"INSERT INTO users_new (id, email, name) {select};\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )
    assert ("rebuild-drops-column" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("slug", "copied", "fires"),
    [("slug TEXT", "", False), ("slug TEXT DEFAULT 'x'", "", True), ("slug TEXT", ", name", True)],
)
def test_a_rebuild_adding_a_unique_column_its_copy_leaves_null_cannot_clash(
    tmp_path: Path, slug: str, copied: str, fires: bool
) -> None:
    # Prisma's RedefineTables for `slug String? @unique`: every copied row holds NULL there.
    findings = _set(
        tmp_path,
        "CREATE TABLE org (id TEXT PRIMARY KEY, name TEXT);",
        f"CREATE TABLE org_new (id TEXT PRIMARY KEY, name TEXT, {slug});\n"
        f"INSERT INTO org_new (id, name{copied and ', slug'}) SELECT id, name{copied} FROM org;\n"
        "DROP TABLE org;\nALTER TABLE org_new RENAME TO org;\n"
        "CREATE UNIQUE INDEX org_slug ON org (slug);",
    )
    assert ("unique-on-existing-table" in {f.kind for f in findings}) is fires


def test_rebuild_with_keys_turned_off_in_an_unwrapped_file_does_not_cascade(
    tmp_path: Path,
) -> None:
    rebuild = (
        "PRAGMA foreign_keys = OFF;\n"
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT, nick TEXT);\n"
        "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n"
        "PRAGMA foreign_keys = ON;"
    )
    findings = _set(tmp_path, PARENT_CHILD, rebuild)
    assert "rebuild-cascade" not in {f.kind for f in findings}


def test_rollback_dropping_a_renamed_column_is_destructive(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "rollbacks").mkdir()
    (tmp_path / "migrations" / "0001_users.sql").write_text(USERS, encoding="utf-8")
    (tmp_path / "migrations" / "0002_rename.sql").write_text(
        "ALTER TABLE users RENAME COLUMN name TO display_name;", encoding="utf-8"
    )
    (tmp_path / "rollbacks" / "0002_rollback.sql").write_text(
        "ALTER TABLE users DROP COLUMN display_name;\nALTER TABLE users ADD COLUMN name TEXT;",
        encoding="utf-8",
    )
    findings = lint_set(discover(tmp_path), get_target("sqlite"))
    assert [(f.kind, Path(f.file or "").name) for f in findings if f.kind == "drop-column"] == [
        ("drop-column", "0002_rollback.sql")
    ]


@pytest.mark.parametrize(
    ("up", "fires"),
    [
        (
            'ALTER TABLE users ADD COLUMN "full name" TEXT;\n'
            'ALTER TABLE users RENAME COLUMN "full name" TO display;',
            False,
        ),
        ("ALTER TABLE users RENAME COLUMN name TO display;", True),
        (
            "ALTER TABLE users RENAME COLUMN name TO shown;\n"
            "ALTER TABLE users RENAME COLUMN shown TO display;",
            True,
        ),
    ],
)
def test_a_rollback_drops_a_column_its_migration_added_under_another_name(
    tmp_path: Path, up: str, fires: bool
) -> None:
    # Only a column that held values before the migration (renamed, even twice) is lost.
    findings = _steps(
        tmp_path,
        {"0001_users": (USERS, ""), "0002_display": (up, "ALTER TABLE users DROP COLUMN display;")},
    )
    assert ("drop-column" in {f.kind for f in findings}) is fires


def test_lint_never_writes_the_set(tmp_path: Path) -> None:
    findings = _set(tmp_path, USERS, "ATTACH DATABASE 'other.db' AS other;")
    assert not (tmp_path / "other.db").exists()
    assert not list(Path.cwd().glob("other.db"))
    assert isinstance(findings, list)


# pingvin-share's prisma history repeats one rebuild's INSERT … SELECT word for word in two
# migrations (20221018123139 and 20221113221005). With the connection's statement cache, the
# second EXPLAIN reused the first's prepared statement, SQLite re-prepared it after the schema
# change, and listing it read a freed default value: lint died with SIGSEGV (exit -11).
_REBUILT_TWICE = (
    'CREATE TABLE "s_new" (id TEXT NOT NULL PRIMARY KEY, a BOOLEAN NOT NULL DEFAULT false,'
    " v INTEGER NOT NULL DEFAULT 0, c TEXT REFERENCES u (id) ON DELETE SET NULL);\n"
    'INSERT INTO "s_new" (id, a, v, c) SELECT id, a, v, c FROM "s";\n'
    'DROP TABLE "s";\nALTER TABLE "s_new" RENAME TO "s";'
)
_LINT_IN_CHILD = (
    "import sys\n"
    "from migration_harness.lint import lint_set\n"
    "from migration_harness.sets.discovery import discover\n"
    "from migration_harness.sets.targets import get_target\n"
    "found = lint_set(discover(sys.argv[1]), get_target('sqlite'))\n"
    "print(len(found))\n"
)


def test_a_rebuild_repeated_word_for_word_is_linted_without_crashing(tmp_path: Path) -> None:
    # In a child process: the bug kills the interpreter, which must fail this test, not
    # pytest.
    (tmp_path / "migrations").mkdir()
    files = (
        "CREATE TABLE u (id TEXT PRIMARY KEY);\n"
        "CREATE TABLE s (id TEXT NOT NULL PRIMARY KEY, a BOOLEAN NOT NULL DEFAULT false,"
        " v INTEGER NOT NULL DEFAULT 0, c TEXT REFERENCES u (id));",
        _REBUILT_TWICE,
        _REBUILT_TWICE,
        _REBUILT_TWICE,
    )
    for i, sql in enumerate(files, start=1):
        (tmp_path / "migrations" / f"{i:04d}_step.sql").write_text(sql, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _LINT_IN_CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().isdigit()


@pytest.mark.parametrize(
    ("copied", "quiet"),
    [
        ("COALESCE(email, '')", True),
        ("IFNULL(email, -1) AS email", True),
        ("COALESCE(email, name, 'none')", True),
        ("COALESCE(email, name)", False),  # both may be NULL
        ("email", False),
    ],
)
def test_a_rebuild_that_backfills_the_new_not_null_column_is_quiet(
    tmp_path: Path, copied: str, quiet: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
        f"INSERT INTO users_new (id, email, name) SELECT id, {copied}, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )
    assert ("rebuild-adds-not-null" not in {f.kind for f in findings}) is quiet


def test_a_rebuild_leaving_the_new_not_null_column_to_its_default_is_quiet(
    tmp_path: Path,
) -> None:
    rebuild = (
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL{default});\n"
        "INSERT INTO users_new (id) SELECT id FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;"
    )
    first = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    quiet = _set(tmp_path / "a", first, rebuild.format(default=" DEFAULT ''"))
    loud = _set(tmp_path / "b", first, rebuild.format(default=""))
    assert "rebuild-adds-not-null" not in {f.kind for f in quiet}
    assert "rebuild-adds-not-null" in {f.kind for f in loud}


@pytest.mark.parametrize(
    ("mend", "quiet"),
    [
        ("UPDATE users SET email = '' WHERE email IS NULL;", True),
        ("UPDATE users SET email = 'none' WHERE email IS NULL OR email = '';", True),
        ("UPDATE users SET email = COALESCE(email, name, 'x');", True),
        ("DELETE FROM users WHERE email IS NULL;", True),
        ("UPDATE users SET email = '' WHERE id = 5;", False),  # only one row mended
        ("UPDATE users SET email = name WHERE email IS NULL;", False),  # name may be NULL
        ("UPDATE users SET email = '' WHERE email IS NULL AND id > 5;", False),
        ("DELETE FROM users WHERE email = '';", False),
    ],
)
def test_a_rebuild_whose_file_fills_the_nulls_first_is_quiet(
    tmp_path: Path, mend: str, quiet: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
        f"{mend}\n"
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
        "INSERT INTO users_new (id, email, name) SELECT id, email, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )
    assert ("rebuild-adds-not-null" not in {f.kind for f in findings}) is quiet


@pytest.mark.parametrize(
    ("mend", "copy", "quiet"),
    [
        # SELECT * copies each column into the column at its position: as is, when the
        # two tables list the same columns in the same order (chirpstack's down shape)
        ("DELETE FROM users WHERE email IS NULL;", "SELECT * FROM users", True),
        ("UPDATE users SET email = '' WHERE email IS NULL;", "SELECT * FROM users", True),
        ("DELETE FROM users WHERE email IS NULL;", "SELECT id, email, name FROM users", True),
        # nothing rids the table of its NULLs: the star copy still fails on them
        ("DELETE FROM users WHERE name IS NULL;", "SELECT * FROM users", False),
    ],
)
def test_a_star_or_positional_copy_after_the_fill_is_quiet(
    tmp_path: Path, mend: str, copy: str, quiet: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
        f"{mend}\n"
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
        f"INSERT INTO users_new {copy};\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )
    assert ("rebuild-adds-not-null" not in {f.kind for f in findings}) is quiet


def test_a_star_copy_after_dropped_columns_lines_up_with_the_table_it_reads(
    tmp_path: Path,
) -> None:
    """The copy reads the table as the file left it: after its DROP COLUMN, not before."""
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT, extra TEXT);",
        "ALTER TABLE users DROP COLUMN extra;\n"
        "DELETE FROM users WHERE email IS NULL;\n"
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
        "INSERT INTO users_new SELECT * FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )
    assert "rebuild-adds-not-null" not in {f.kind for f in findings}


def test_a_star_copy_into_other_positions_still_warns(tmp_path: Path) -> None:
    """SELECT * puts the old name column into the new email: the fill of email is no fix."""
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);",
        "DELETE FROM users WHERE email IS NULL;\n"
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
        "INSERT INTO users_new SELECT * FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )
    assert "rebuild-adds-not-null" in {f.kind for f in findings}


_DUPES_GONE = (
    "DELETE FROM users WHERE EXISTS "
    "(SELECT 1 FROM users b WHERE b.{k} = users.{k} AND b.id < users.id);"
)


@pytest.mark.parametrize(
    ("dedupe", "index", "quiet"),
    [
        (_DUPES_GONE.format(k="email"), "users(email)", True),
        (
            "DELETE FROM users WHERE id NOT IN (SELECT min(id) FROM users GROUP BY email);",
            "users(email)",
            True,
        ),
        (
            "DELETE FROM users WHERE rowid NOT IN "
            "(SELECT max(rowid) FROM users GROUP BY lower(email));",
            "users(lower(email))",
            True,
        ),
        (
            "UPDATE users SET email = email || '#' || id "
            "WHERE id NOT IN (SELECT min(id) FROM users GROUP BY email);",
            "users(email)",
            True,
        ),
        (_DUPES_GONE.format(k="email"), "users(email, name)", True),
        # the defects: a dedupe that misses duplicates the index counts
        (_DUPES_GONE.format(k="email"), "users(lower(email))", False),  # 'A' and 'a' stay
        ("DELETE FROM users WHERE email = '';", "users(email)", False),
        (_DUPES_GONE.format(k="name"), "users(email)", False),  # another column
        # newest by a column two rows can share keeps both
        (
            "DELETE FROM users WHERE EXISTS "
            "(SELECT 1 FROM users b WHERE b.email = users.email AND b.seen > users.seen);",
            "users(email)",
            False,
        ),
        ("DELETE FROM users WHERE id IN (SELECT user_id FROM bans);", "users(email)", False),
        # a partial index: the dedupe of the rows it covers counts, a useless one does not
        (
            "DELETE FROM users WHERE seen IS NULL AND id NOT IN "
            "(SELECT min(id) FROM users WHERE seen IS NULL GROUP BY email);",
            "users(email) WHERE seen IS NULL",
            True,
        ),
        ("DELETE FROM users WHERE 0;", "users(email) WHERE seen IS NULL", False),
        (_DUPES_GONE.format(k="name"), "users(email) WHERE seen = 1", False),
    ],
)
def test_a_unique_index_after_a_dedupe_of_its_columns_is_quiet(
    tmp_path: Path, dedupe: str, index: str, quiet: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, seen TEXT);\n"
        "CREATE TABLE bans (user_id INTEGER);",
        f"{dedupe}\nCREATE UNIQUE INDEX users_key ON {index};",
    )
    assert ("unique-on-existing-table" not in {f.kind for f in findings}) is quiet


def test_quoted_columns_the_same_file_created_are_names(tmp_path: Path) -> None:
    # Prisma's shape: CREATE TABLE then CREATE UNIQUE INDEX on its quoted column, one file.
    findings = _set(
        tmp_path,
        'CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\n'
        'ALTER TABLE "User" RENAME COLUMN "email" TO "mail";\n'
        'CREATE UNIQUE INDEX "User_mail_key" ON "User"("mail");\n'
        'CREATE INDEX "User_bad" ON "User"("nosuch");\n'
        'PRAGMA foreign_key_check("User");',
    )
    quoted = [f for f in findings if f.kind == "double-quoted-string"]
    assert [(f.line, "nosuch" in f.message) for f in quoted] == [(4, True)]


@pytest.mark.parametrize("restored", [True, False])
def test_a_rebuild_through_a_backup_table_is_a_copy(tmp_path: Path, restored: bool) -> None:
    # Mail-Otter 0017: CREATE TABLE bak AS SELECT …, drop, re-create, copy back from bak.
    back = "INSERT INTO users (id, email) SELECT id, email FROM bak_users;\n" if restored else ""
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
        "CREATE TABLE bak_users AS SELECT id, email FROM users;\n"
        "DROP TABLE users;\n"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT CHECK (email LIKE '%@%'));\n"
        f"{back}DROP TABLE bak_users;",
    )
    omits = [f for f in findings if f.kind == "rebuild-copy-omits-column"]
    assert (omits == []) is restored


def test_a_recreated_table_is_a_warning_forward_and_an_error_in_a_rollback(
    tmp_path: Path,
) -> None:
    recreate = "DROP TABLE users;\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
    findings = _steps(
        tmp_path,
        {
            "0001_users": (
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n",
                "DROP TABLE users;\n",
            ),
            "0002_reset": (recreate, recreate),
        },
    )
    seen = {(Path(f.file or "").parent.name, f.code, f.severity) for f in findings}
    assert ("migrations", "MH207", "warning") in seen
    assert ("rollbacks", "MH204", "error") in seen
    assert ("migrations", "MH204", "error") not in seen


@pytest.mark.parametrize(
    ("default", "refused"),
    [('"text"', False), ("manual", False), ("(manual)", True), ("CURRENT_TIMESTAMP", True)],
)
def test_a_bare_name_default_is_a_string_to_add_column(
    tmp_path: Path, default: str, refused: bool
) -> None:
    # drizzle-kit writes `ADD `type` text NOT NULL DEFAULT "text"` (karakeep 0025): SQLite
    # stores the string 'text', on a table with rows too.
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        f"ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT {default};",
    )
    kinds = {f.kind for f in findings}
    assert ("add-column-volatile-default" in kinds) is refused


def test_a_rebuild_by_create_table_as_select_copies_its_rows(tmp_path: Path) -> None:
    # arcane 026's down: CREATE TABLE t_backup AS SELECT …; DROP TABLE t; RENAME t_backup.
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, sent INTEGER);",
        "CREATE TABLE users_backup AS SELECT id, email FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_backup RENAME TO users;",
    )
    kinds = {f.kind for f in findings}
    assert "rebuild-copy-omits-column" not in kinds
    assert "rebuild-drops-column" in kinds  # sent is gone, and said so


USERS_REBUILT = (
    "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT, nick TEXT);\n"
    "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
    "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n"
)


@pytest.mark.parametrize(
    ("before", "after", "cascades"),
    [
        ("", "", True),
        # karakeep 0012: the child is dropped right after, unread: nothing the file hides
        ("", "DROP TABLE notes;\n", False),
        # karakeep 0084: backed up first, refilled after the parent's rebuild
        (
            "CREATE TEMPORARY TABLE bak AS SELECT * FROM notes;\n",
            "DELETE FROM notes;\nINSERT INTO notes SELECT * FROM bak;\nDROP TABLE bak;\n",
            False,
        ),
        # read after the cascade emptied it, then dropped: the copy finds no rows
        ("", "CREATE TABLE n2 AS SELECT * FROM notes;\nDROP TABLE notes;\n", True),
    ],
    ids=["plain", "child-dropped", "child-restored", "child-read-too-late"],
)
def test_a_cascade_the_file_settles_itself_is_quiet(
    tmp_path: Path, before: str, after: str, cascades: bool
) -> None:
    findings = lint_set(
        discover(_files(tmp_path, PARENT_CHILD, before + USERS_REBUILT + after)),
        get_target("sqlx"),
    )
    assert ("rebuild-cascade" in {f.kind for f in findings}) is cascades


def test_a_rollbacks_pragma_does_not_switch_keys_on_in_the_replay(tmp_path: Path) -> None:
    # stash 5's down ends with PRAGMA foreign_keys=on: compiling it (EXPLAIN) ran it on the
    # replay's connection, and stash 10's DROP of a renamed parent then failed there only.
    steps = {
        "0001_init": (
            "CREATE TABLE s (id INTEGER PRIMARY KEY);\nCREATE TABLE m (id INTEGER PRIMARY KEY);\n"
            "CREATE TABLE ms (m_id INTEGER REFERENCES m(id) ON DELETE CASCADE,"
            " s_id INTEGER REFERENCES s(id) ON DELETE CASCADE);",
            "DROP TABLE ms;\nDROP TABLE m;\nDROP TABLE s;\nPRAGMA foreign_keys=on;",
        ),
        "0002_rename": (
            "ALTER TABLE s RENAME TO _s_old;\nALTER TABLE m RENAME TO _m_old;\n"
            "ALTER TABLE ms RENAME TO _ms_old;\n"
            "DROP TABLE _s_old;\nDROP TABLE _m_old;\nDROP TABLE _ms_old;",
            "",
        ),
    }
    findings = _steps(tmp_path, steps)
    assert [f for f in findings if f.kind == "statement-fails"] == []


def test_an_explicit_null_column_is_not_not_null(tmp_path: Path) -> None:
    # pocket-id 20250609: ADD COLUMN credentials TEXT NULL (sqlglot: NotNull(allow_null)).
    findings = _set(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        "ALTER TABLE users ADD COLUMN credentials TEXT NULL;",
    )
    assert "add-column-not-null" not in {f.kind for f in findings}


FK_SCHEMA = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
    "CREATE TABLE tokens (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"
    "CREATE TABLE codes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"
    "CREATE INDEX codes_user ON codes(user_id);"
)


@pytest.mark.parametrize(
    ("second", "reported"),
    [
        # pocket-id's ADD COLUMN files: the replay re-reads the whole schema after an ALTER,
        # and every foreign key of it was reported again as new
        ("ALTER TABLE codes ADD COLUMN method TEXT NOT NULL DEFAULT '';", []),
        ("ALTER TABLE tokens ADD COLUMN method TEXT;", []),  # uncovered since 0001: said there
        ("DROP INDEX codes_user;", ["codes"]),  # newly uncovered
    ],
)
def test_fk_without_index_speaks_where_the_key_loses_its_index(
    tmp_path: Path, second: str, reported: list[str]
) -> None:
    findings = _set(tmp_path, FK_SCHEMA, second)
    hits = [f for f in findings if f.kind == "fk-without-index"]
    assert (
        sorted(
            {
                f.message.split(" scans all of ")[1].split(":")[0]
                for f in hits
                if "0002" in (f.file or "")
            }
        )
        == reported
    )
    assert any("0001" in (f.file or "") and "tokens" in f.message for f in hits)


def test_a_rollback_leaves_unchanged_parents_with_implicit_keys_alone(tmp_path: Path) -> None:
    # pocket-id: `user_id TEXT REFERENCES users` names no column; replayed beside the
    # rollback without users, that key read as lost (MH415/MH411 on untouched tables).
    findings = _steps(
        tmp_path,
        {
            "0001_init": (
                "CREATE TABLE users (id TEXT PRIMARY KEY);\n"
                "CREATE TABLE tokens (id TEXT PRIMARY KEY, user_id TEXT REFERENCES users);\n"
                "CREATE INDEX tokens_user ON tokens(user_id);",
                "DROP TABLE tokens;\nDROP TABLE users;",
            ),
            "0002_apis": (
                "ALTER TABLE tokens ADD COLUMN note TEXT;\n"
                "CREATE TABLE apis (id TEXT PRIMARY KEY, token_id TEXT REFERENCES tokens(id));\n"
                "CREATE INDEX apis_token ON apis(token_id);",
                "DROP TABLE apis;\nALTER TABLE tokens DROP COLUMN note;",
            ),
        },
    )
    drift = [f for f in findings if f.code in ("MH411", "MH415", "MH413")]
    assert drift == [], [f.message for f in drift]


@pytest.mark.parametrize(("parent_value", "cascades"), [("NULL", False), ("parent_id", True)])
def test_a_self_referencing_rebuild_that_nulls_its_key_first_does_not_cascade(
    tmp_path: Path, parent_value: str, cascades: bool
) -> None:
    # alook 0068 on D1: the new table's self key resolves to the old table while it is
    # dropped; filled with that key NULL (and restored after the swap) nothing cascades.
    rebuild = (
        "CREATE TABLE channel_new (id TEXT PRIMARY KEY, name TEXT,"
        " parent_id TEXT REFERENCES channel(id) ON DELETE CASCADE);\n"
        "INSERT INTO channel_new (id, name, parent_id)"
        f" SELECT id, name, {parent_value} FROM channel;\n"
        "DROP TABLE channel;\nALTER TABLE channel_new RENAME TO channel;"
    )
    findings = lint_set(
        discover(
            _files(
                tmp_path,
                "CREATE TABLE channel (id TEXT PRIMARY KEY, name TEXT,"
                " parent_id TEXT REFERENCES channel(id) ON DELETE CASCADE);",
                rebuild,
            )
        ),
        get_target("sqlx"),
    )
    assert ("rebuild-cascade" in {f.kind for f in findings}) is cascades


def test_an_or_ignore_copy_is_judged_against_the_table_it_copies_from(tmp_path: Path) -> None:
    # alook 0068: the SELECT also reads another table in a subquery; which one was compared
    # came from a set's order, so the warning came and went with the hash seed.
    findings = _set(
        tmp_path,
        "CREATE TABLE dm (id TEXT, at TEXT);\n"
        "CREATE TABLE msg (id TEXT PRIMARY KEY, dm_id TEXT);\n"
        "CREATE TABLE channel (id TEXT PRIMARY KEY, n INTEGER);",
        "INSERT OR IGNORE INTO channel (id, n)"
        " SELECT d.id, (SELECT COUNT(*) FROM msg m WHERE m.dm_id = d.id) FROM dm d;",
    )
    assert [f.line for f in findings if f.kind == "or-ignore-copy"] == [1]


@pytest.mark.parametrize(
    ("select", "fires"),
    [
        # one row of constants, guarded by a subquery: OR IGNORE only skips a seed in place
        # (takemetothefair 0211: 123 such rows, each WHERE EXISTS (SELECT 1 FROM event_series …))
        (
            "SELECT 'r1', 'admin' WHERE NOT EXISTS (SELECT 1 FROM legacy WHERE name = 'admin')",
            False,
        ),
        ("SELECT 'r1', (SELECT name FROM legacy LIMIT 1)", False),
        # the same guard around rows that come from the looser table: still a lossy copy
        ("SELECT id, name FROM legacy WHERE NOT EXISTS (SELECT 1 FROM roles)", True),
        ("SELECT l.id, l.name FROM (SELECT id, name FROM legacy) AS l", True),
    ],
)
def test_an_or_ignore_copy_needs_rows_from_a_looser_table(
    tmp_path: Path, select: str, fires: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE legacy (id TEXT, name TEXT);\n"
        "CREATE TABLE roles (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE);",
        f"INSERT OR IGNORE INTO roles (id, name) {select};",
    )
    assert ("or-ignore-copy" in {f.kind for f in findings}) is fires


NARROWED_PRICE = (
    "CREATE TABLE b (id INTEGER PRIMARY KEY, price INTEGER);",
    "CREATE TABLE b_new (id INTEGER PRIMARY KEY,"
    " price INTEGER CHECK (price IS NULL OR price >= 0));\n"
    "{before}INSERT INTO b_new (id, price) SELECT id, {value} FROM b{where};\n"
    "DROP TABLE b;\nALTER TABLE b_new RENAME TO b;",
)


@pytest.mark.parametrize(
    ("before", "value", "where", "fires"),
    [
        ("", "price", "", True),  # the defect: existing negative prices break the copy
        ("", "CASE WHEN price < 0 THEN NULL ELSE price END", "", False),
        ("", "price", " WHERE price >= 0", False),
        ("UPDATE b SET price = NULL WHERE price < 0;\n", "price", "", False),
        ("DELETE FROM b WHERE price < 0;\n", "price", "", False),
        ("UPDATE b SET id = id + 0 WHERE price < 0;\n", "price", "", True),
        ("", "abs(price) - 1", "", True),
    ],
)
def test_a_rebuild_that_mends_rows_for_its_new_check_is_quiet(
    tmp_path: Path, before: str, value: str, where: str, fires: bool
) -> None:
    first, rebuild = NARROWED_PRICE
    findings = _set(tmp_path, first, rebuild.format(before=before, value=value, where=where))
    assert ("rebuild-narrows-check" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("update", "fires"),
    [
        ("UPDATE users SET nick = name;", False),  # backfills only the column it just added
        ("UPDATE users SET nick = name, email = lower(email);", True),  # and rewrites email
        ("UPDATE users SET name = nick;", True),  # overwrites a column the rows had
    ],
)
def test_a_backfill_of_a_column_the_file_added_is_no_overwrite(
    tmp_path: Path, update: str, fires: bool
) -> None:
    findings = _set(tmp_path, USERS, f"ALTER TABLE users ADD COLUMN nick TEXT;\n{update}")
    assert ("update-without-where" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("kept", "fires"),
    [
        ("SELECT id, email FROM users WHERE email IS NOT NULL", False),  # archived first
        ("SELECT id, name FROM users", True),  # archives another column
        ("", True),  # the defect: email's values are gone
    ],
)
def test_a_dropped_column_copied_elsewhere_first_is_kept(
    tmp_path: Path, kept: str, fires: bool
) -> None:
    archive = (
        f"CREATE TABLE archive (user_id INTEGER PRIMARY KEY, value TEXT);\n"
        f"INSERT INTO archive (user_id, value) {kept};\n"
        if kept
        else ""
    )
    findings = _set(tmp_path, USERS, f"{archive}ALTER TABLE users DROP COLUMN email;")
    assert ("drop-column" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("where", "fires"),
    [
        ("id = 1 AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.user_id = users.id)", False),
        ("id NOT IN (SELECT user_id FROM notes WHERE user_id IS NOT NULL)", False),
        ("id = 1 OR NOT EXISTS (SELECT 1 FROM notes n WHERE n.user_id = users.id)", True),
        ("NOT EXISTS (SELECT 1 FROM notes n WHERE n.id = users.id)", True),  # not its key
        ("id = 1", True),  # the defect: notes keep user_id 1
        # the LEFT JOIN anti-join: only users no note points at
        (
            "id IN (SELECT u.id FROM users u LEFT JOIN notes n ON n.user_id = u.id"
            " WHERE n.user_id IS NULL)",
            False,
        ),
        # an inner join, or a WHERE on another column: users with notes are deleted too
        (
            "id IN (SELECT u.id FROM users u JOIN notes n ON n.user_id = u.id"
            " WHERE n.user_id IS NULL)",
            True,
        ),
        (
            "id IN (SELECT u.id FROM users u LEFT JOIN notes n ON n.user_id = u.id"
            " WHERE u.name IS NULL)",
            True,
        ),
    ],
)
def test_a_delete_that_spares_parents_with_children_orphans_none(
    tmp_path: Path, where: str, fires: bool
) -> None:
    root = _files(tmp_path, PARENT_CHILD, f"DELETE FROM users WHERE {where};")
    findings = lint_set(discover(root), get_target("golang-migrate"))  # keys off
    assert ("orphaning-delete" in {f.kind for f in findings}) is fires


_FOLLOWS = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY, handle TEXT, banned INTEGER);\n"
    "CREATE TABLE follows (a INTEGER REFERENCES users(id), b INTEGER REFERENCES users);"
)
_BANNED = "SELECT id FROM users WHERE banned = 1"


@pytest.mark.parametrize(
    ("children", "parents", "fires"),
    [
        (f"DELETE FROM follows WHERE a IN ({_BANNED}) OR b IN ({_BANNED});", "banned = 1", False),
        (
            f"DELETE FROM follows WHERE a IN ({_BANNED});\n"
            f"DELETE FROM follows WHERE b IN ({_BANNED});",
            f"id IN ({_BANNED})",
            False,
        ),
        # the defects: one key left, another selection, rows written back in between
        (f"DELETE FROM follows WHERE a IN ({_BANNED});", "banned = 1", True),
        (f"DELETE FROM follows WHERE a IN ({_BANNED}) OR b IN ({_BANNED});", "banned = 2", True),
        (
            f"DELETE FROM follows WHERE a IN ({_BANNED}) OR b IN ({_BANNED});\n"
            "INSERT INTO follows (a, b) SELECT id, id FROM users;",
            "banned = 1",
            True,
        ),
        (f"DELETE FROM follows WHERE a IN ({_BANNED}) AND b IN ({_BANNED});", "banned = 1", True),
    ],
)
def test_a_delete_after_its_children_were_deleted_orphans_none(
    tmp_path: Path, children: str, parents: str, fires: bool
) -> None:
    root = _files(tmp_path, _FOLLOWS, f"{children}\nDELETE FROM users WHERE {parents};")
    findings = lint_set(discover(root), get_target("goose"))  # keys off
    assert ("orphaning-delete" in {f.kind for f in findings}) is fires


_ARCHIVE = (
    "CREATE TABLE banned_users (id INTEGER PRIMARY KEY, handle TEXT, banned INTEGER);\n"
    "INSERT INTO banned_users (id, handle, banned) {select} FROM users WHERE banned = 1;\n"
)
_ARCHIVED = "SELECT id FROM banned_users"


@pytest.mark.parametrize(
    ("archive", "children", "parents", "fires"),
    [
        # the parents archived first, their children deleted through the archive's ids
        (
            _ARCHIVE.format(select="SELECT id, handle, banned"),
            f"DELETE FROM follows WHERE a IN ({_ARCHIVED}) OR b IN ({_ARCHIVED});",
            "banned = 1",
            False,
        ),
        (
            _ARCHIVE.format(select="SELECT *"),
            f"DELETE FROM follows WHERE a IN ({_ARCHIVED}) OR b IN ({_ARCHIVED});",
            "banned = 1",
            False,
        ),
        # the defects: the archive took other parents, the parents changed after it was
        # filled, the archive is filled after the children are deleted (empty then)
        (
            _ARCHIVE.format(select="SELECT id, handle, banned"),
            f"DELETE FROM follows WHERE a IN ({_ARCHIVED}) OR b IN ({_ARCHIVED});",
            "banned = 2",
            True,
        ),
        (
            _ARCHIVE.format(select="SELECT id, handle, banned")
            + "UPDATE users SET banned = 1 WHERE handle IS NULL;",
            f"DELETE FROM follows WHERE a IN ({_ARCHIVED}) OR b IN ({_ARCHIVED});",
            "banned = 1",
            True,
        ),
        (
            "CREATE TABLE banned_users (id INTEGER PRIMARY KEY, handle TEXT, banned INTEGER);",
            f"DELETE FROM follows WHERE a IN ({_ARCHIVED}) OR b IN ({_ARCHIVED});\n"
            + _ARCHIVE.split(";\n", 1)[1],
            "banned = 1",
            True,
        ),
    ],
    ids=["archived", "archived-star", "other-parents", "written-between", "filled-after"],
)
def test_children_deleted_through_the_archive_of_their_parents_are_no_orphans(
    tmp_path: Path, archive: str, children: str, parents: str, fires: bool
) -> None:
    up = f"{archive}\n{children}\nDELETE FROM users WHERE {parents};"
    root = _files(tmp_path, _FOLLOWS, up)
    findings = lint_set(discover(root), get_target("goose"))  # keys off
    assert ("orphaning-delete" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("dedupe", "column", "quiet"),
    [
        (
            "DELETE FROM devices WHERE id NOT IN (SELECT min(id) FROM devices GROUP BY serial);",
            "serial TEXT NOT NULL UNIQUE",
            True,
        ),
        (
            "DELETE FROM devices WHERE id NOT IN "
            "(SELECT min(id) FROM devices GROUP BY lower(serial));",
            "serial TEXT NOT NULL UNIQUE COLLATE NOCASE",
            True,
        ),
        # the defects: exact dedupe for a NOCASE key, a dedupe on another column, none
        (
            "DELETE FROM devices WHERE id NOT IN (SELECT min(id) FROM devices GROUP BY serial);",
            "serial TEXT NOT NULL UNIQUE COLLATE NOCASE",
            False,
        ),
        (
            "DELETE FROM devices WHERE id NOT IN (SELECT min(id) FROM devices GROUP BY label);",
            "serial TEXT NOT NULL UNIQUE",
            False,
        ),
        ("DELETE FROM devices WHERE label IS NULL;", "serial TEXT NOT NULL UNIQUE", False),
    ],
)
def test_a_rebuild_adding_a_unique_key_after_a_dedupe_is_quiet(
    tmp_path: Path, dedupe: str, column: str, quiet: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE devices (id INTEGER PRIMARY KEY, serial TEXT NOT NULL, label TEXT);",
        f"{dedupe}\n"
        f"CREATE TABLE devices_new (id INTEGER PRIMARY KEY, {column}, label TEXT);\n"
        "INSERT INTO devices_new (id, serial, label) SELECT id, serial, label FROM devices;\n"
        "DROP TABLE devices;\nALTER TABLE devices_new RENAME TO devices;",
    )
    assert ("unique-on-existing-table" not in {f.kind for f in findings}) is quiet


@pytest.mark.parametrize(
    ("mend", "quiet"),
    [
        ("UPDATE bookings SET ends_at = NULL WHERE ends_at < starts_at;", True),
        ("DELETE FROM bookings WHERE ends_at < starts_at;", True),
        ("UPDATE bookings SET ends_at = starts_at WHERE NOT (ends_at >= starts_at);", True),
        # the defects: some rows mended, the wrong comparison, another table read
        ("UPDATE bookings SET ends_at = NULL WHERE id = 3;", False),
        ("UPDATE bookings SET ends_at = NULL WHERE ends_at <= room;", False),
        ("DELETE FROM bookings WHERE id IN (SELECT booking_id FROM bad);", False),
    ],
)
def test_a_rebuild_whose_file_mends_rows_for_a_check_over_two_columns_is_quiet(
    tmp_path: Path, mend: str, quiet: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE bookings (id INTEGER PRIMARY KEY, room TEXT NOT NULL,"
        " starts_at TEXT NOT NULL, ends_at TEXT);\nCREATE TABLE bad (booking_id INTEGER);",
        f"{mend}\n"
        "CREATE TABLE bookings_new (id INTEGER PRIMARY KEY, room TEXT NOT NULL,"
        " starts_at TEXT NOT NULL, ends_at TEXT,"
        " CHECK (ends_at IS NULL OR ends_at >= starts_at));\n"
        "INSERT INTO bookings_new (id, room, starts_at, ends_at)"
        " SELECT id, room, starts_at, ends_at FROM bookings;\n"
        "DROP TABLE bookings;\nALTER TABLE bookings_new RENAME TO bookings;",
    )
    assert ("rebuild-narrows-check" not in {f.kind for f in findings}) is quiet


@pytest.mark.parametrize(
    ("copied", "source", "quiet"),
    [
        ("COALESCE(display_name, email)", "members m", True),  # email is NOT NULL
        ("IFNULL(display_name, m.id)", "members m", True),
        ("COALESCE(display_name, nick)", "members m", False),  # nick may be NULL too
        ("COALESCE(m.display_name, p.email)", "members m LEFT JOIN people p ON p.id = m.id", False),
    ],
)
def test_a_rebuild_falling_back_to_a_not_null_column_fills_the_new_not_null(
    tmp_path: Path, copied: str, source: str, quiet: bool
) -> None:
    findings = _set(
        tmp_path,
        "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
        "CREATE TABLE members (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL,"
        " display_name TEXT, nick TEXT);",
        "CREATE TABLE members_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL,"
        " display_name TEXT NOT NULL, nick TEXT);\n"
        "INSERT INTO members_new (id, email, display_name, nick)"
        f" SELECT m.id, m.email, {copied}, m.nick FROM {source};\n"
        "DROP TABLE members;\nALTER TABLE members_new RENAME TO members;",
    )
    assert ("rebuild-adds-not-null" not in {f.kind for f in findings}) is quiet


@pytest.mark.parametrize(("keys", "fires"), [(True, True), (False, False)], ids=["on", "off"])
def test_a_key_to_a_non_unique_parent_waits_on_enforced_keys(
    tmp_path: Path, keys: bool, fires: bool
) -> None:
    """Where no connection enforces keys SQLite never looks for the parent key: no error.

    check reports such a key as MH157 (a key nothing enforces); lint used to call it an
    error even there, while its other MH313 cases already waited on enforced keys.
    """
    root = _files(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT REFERENCES users(email));\n"
        "CREATE INDEX posts_author ON posts(author);",
    )
    target = dataclasses.replace(get_target("goose"), foreign_keys=keys)
    findings = lint_set(discover(root), target)
    assert ("fk-parent-not-unique" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize(
    ("check", "fires"), [(", CHECK (age >= 0)", False), ("", True)], ids=["table-level", "dropped"]
)
def test_a_rollback_writing_a_column_check_at_table_level_restores_it(
    tmp_path: Path, check: str, fires: bool
) -> None:
    """MH415: SQLite tests a column's CHECK and a table's alike; only a lost one is a change."""
    members = "CREATE TABLE members (id INTEGER PRIMARY KEY, age INTEGER CHECK (age >= 0));\n"
    up = (
        "CREATE TABLE members_new (id INTEGER PRIMARY KEY, age INTEGER CHECK (age >= 0),"
        " nick TEXT);\n"
        "INSERT INTO members_new (id, age) SELECT id, age FROM members;\n"
        "DROP TABLE members;\nALTER TABLE members_new RENAME TO members;\n"
    )
    down = (
        f"CREATE TABLE members_old (id INTEGER PRIMARY KEY, age INTEGER{check});\n"
        "INSERT INTO members_old (id, age) SELECT id, age FROM members;\n"
        "DROP TABLE members;\nALTER TABLE members_old RENAME TO members;\n"
    )
    findings = _steps(tmp_path, {"0001_members": (members, ""), "0002_nick": (up, down)})
    assert ("down-changes-object" in {f.kind for f in findings}) is fires


@pytest.mark.parametrize("name", ["Élan", "ÉLAN", "Straße"])
def test_a_table_named_beyond_ascii_gets_the_rules_an_ascii_one_gets(
    tmp_path: Path, name: str
) -> None:
    """The replay keys tables by ``str.lower``; SQLite's ``lower()`` folds ASCII only.

    Matching one against the other lost every table whose name has a non-ASCII capital:
    its UNIQUE index on a table with rows (MH212) went unreported.
    """

    def kinds(table: str, root: Path) -> list[tuple[str, int | None]]:
        root.mkdir()
        findings = lint_set(
            discover(
                _files(
                    root,
                    f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, email TEXT);',
                    f'CREATE UNIQUE INDEX t_email ON "{table}" (email);',
                )
            ),
            get_target("golang-migrate"),
        )
        return sorted((f.kind, f.line) for f in findings)

    found = kinds(name, tmp_path / "beyond")
    assert ("unique-on-existing-table", 1) in found
    assert found == kinds("Alan", tmp_path / "ascii")
