"""The catalogue rows of ``lint``'s rules (MH2xx-MH4xx), registered by the catalogue.

Plain rows, importing nothing, so :mod:`~migration_harness.report.catalogue` can register
them when it loads and every reader of codes (JSON, SARIF, suppressions, the plugin) knows
them without importing the linter. ``docs/LINT.md`` is the same table in prose.

Each row: code, rule name (the finding's kind), severity, what it flags, why it breaks
production (the incident class), how to fix it, the runners/targets it applies to, and the
``check`` finding kinds that confirm it with data.

Ranges: MH2xx destructive and data-dependent, MH3xx runner traps and SQLite's rules,
MH4xx D1 limits (MH40x) and hygiene (MH41x).
"""

from __future__ import annotations

from typing import Final

LintRow = tuple[str, str, str, str, str, str, str, str]

_LOSS = "data_loss"
_APPLY = "apply_error"

LINT_RULES: Final[tuple[LintRow, ...]] = (
    (
        "MH201", "drop-table", "warning",
        "DROP TABLE of a table that existed before the migration (not one the file copied "
        "whole into a table it keeps)",
        "the rows are gone after the deploy and no rollback can bring them back (the "
        "'dropped the wrong table' incident)",
        "keep the table (rename it to *_old) until its data is moved; or suppress with "
        "the reason if dropping it is the point",
        "all", _LOSS,
    ),
    (
        "MH202", "drop-column", "warning",
        "ALTER TABLE … DROP COLUMN of a column that existed before the migration (not one the "
        "file first copied elsewhere, unnested into rows with json_each (`j.value`) or an "
        "earlier file copied into a table still there (expand, then this contract), or split "
        "or copied one to one into columns that stay (alone or packed with other columns, "
        "`json_object('make', make, 'model', model)`), over the values its NOT NULL and own "
        "CHECKs let it hold (`CHECK (due IS date(due))` dates into `strftime('%s', due)`), "
        "nor a generated column: SQLite computes it from the row, it stores nothing of its "
        "own)",
        "its values are gone; the application version still deployed may read it",
        "stop reading the column first, copy what you need, then drop it in a later release",
        "all", _LOSS,
    ),
    (
        "MH203", "rebuild-drops-column", "warning",
        "a table rebuild whose new table leaves out a column of the old one (a column the "
        "file first copies into another table moved, and is kept, as is one it unnests into "
        "rows with json_each (`j.value`) or an earlier file copied into a table still there; "
        "so is one the copy joins on "
        "to a UNIQUE column that stays, writing that table's key: a surrogate key, directly or "
        "through a map of ids the file fills from such a table, TEMP or dropped; a generated "
        "column stores nothing of its own; a BOOLEAN or a CHECK (c IN (…)) column the copy "
        "converts into another, each value to a value of its own, as SQLite shows)",
        "a rebuild is a DROP COLUMN nobody reviews as one: the values are deleted with the old "
        "table",
        "add the column to the new table and copy it, or drop it deliberately with DROP COLUMN",
        "all", _LOSS,
    ),
    (
        "MH204", "rebuild-copy-omits-column", "error",
        "a rebuild's copy does not carry a column both tables have, or copies no rows",
        "the column's values are replaced by its default (or every row is lost) on "
        "production data, while an empty test database shows nothing",
        "list every kept column in INSERT INTO new (…) SELECT … FROM old",
        "all", _LOSS,
    ),
    (
        "MH207", "recreate-table-empty", "warning",
        "a forward file that drops a table and creates it again by name without reading "
        "its rows (or renames a new table into its place, showing the copy commented out)",
        "every row is deleted on every database the migration reaches: the file says so, as "
        "a DELETE without WHERE does, but a reviewer reads a rebuild",
        "copy the rows to keep into the new table before the DROP, or suppress with the "
        "reason (a cache, a log, a table the application refills)",
        "all", _LOSS,
    ),
    (
        "MH205", "delete-without-where", "warning",
        "DELETE without WHERE on a table that existed before the migration (not one the file "
        "then refills from other tables' rows, every column: a summary or FTS5 index "
        "recomputed; nor one whose rows the file kept aside first and puts back whole)",
        "every row is deleted on every database the migration reaches",
        "add the WHERE that selects the rows meant, or suppress with the reason",
        "all", _LOSS,
    ),
    (
        "MH206", "update-without-where", "warning",
        "UPDATE without WHERE setting a column of a table that existed before the migration "
        "(not only columns the file added, nor only counters the schema's triggers keep, "
        "recomputed by an aggregate subquery, nor a `json_remove` of keys the file first "
        "copied out of that column for every row)",
        "every row is overwritten, including rows the backfill was not meant for",
        "add a WHERE (WHERE col IS NULL for a backfill), or suppress with the reason",
        "all", _LOSS,
    ),
    (
        "MH211", "add-column-not-null", "error",
        "ALTER TABLE … ADD COLUMN … NOT NULL without a non-NULL DEFAULT",
        "SQLite accepts it on an empty table (every fresh test database) and refuses it as "
        "soon as the table has a row: the deploy fails in production only",
        "give the column a DEFAULT, or add it nullable, backfill, then rebuild",
        "all", _APPLY,
    ),
    (
        "MH212", "unique-on-existing-table", "warning",
        "a new UNIQUE index or constraint on a table that already has rows, unless its key "
        "contains a key the table already enforced (copied unchanged in a rebuild, under its "
        "name or another, the old table renamed away first or not; `lower(col)` of a TEXT "
        "column is `col COLLATE "
        "NOCASE`) or numbers rows with `ROW_NUMBER()` over the whole copy or within the key's "
        "other columns (in a FROM subquery or CTE too), fills a key column with "
        "`randomblob(16)` or the rowid between fixed strings (`'post-' || id`, backfilled or "
        "copied; backfilled, a unique TEXT key too, where the new index compares as BINARY), "
        "or holds a "
        "new `INTEGER PRIMARY KEY` the copy leaves to SQLite, or the copy merges the rows "
        "meeting on the key (`ON CONFLICT (key) DO UPDATE`), or the file first deletes (or "
        "rewrites) the duplicates, as SQLite shows on probe rows",
        "the migration fails on the first duplicate in production data (or, with OR IGNORE, "
        "drops the duplicates)",
        "deduplicate in the same migration before creating the index",
        "all", _APPLY + " " + _LOSS,
    ),
    (
        "MH213", "rebuild-narrows-check", "warning",
        "a rebuild whose new table adds or narrows a CHECK (not one that only a new column's"
        " DEFAULT meets), unless the file mends or leaves out the rows it refuses (an UPDATE or"
        " DELETE before the copy, or a copy whose CASE or WHERE keeps them out, or whose values"
        " meet it once stored: `CAST(qty AS INTEGER)` of a NOT NULL column under"
        " `typeof(qty) = 'integer'`, a value computed from one other column or a `COUNT`"
        " subquery, as `(SELECT COUNT(*) …)` under `CHECK (position >= 0)`)",
        "the copy fails on existing rows that break the new CHECK",
        "fix or delete the offending rows before the copy, in the same migration",
        "all", _APPLY + " " + _LOSS,
    ),
    (
        "MH214", "rebuild-adds-not-null", "warning",
        "a rebuild that makes a nullable column NOT NULL (not where the copy, or an UPDATE or "
        "DELETE of every NULL row before it, fills them: with a literal, a NOT NULL column or "
        "the rowid of the old table, a COALESCE ending in one, CAST, lower or upper of one, "
        "arithmetic or string functions of such values, a CASE whose branches are, or a "
        "`||` of such values: `'post-' || id`; nor where the copy's WHERE keeps that column's "
        "NULLs out, `x IS NOT NULL` or a comparison: the rows left behind are MH218's)",
        "the copy fails on existing rows holding NULL there (or drops them with a filter)",
        "backfill the NULLs (COALESCE in the copy, or an UPDATE before it)",
        "all", _APPLY + " " + _LOSS,
    ),
    (
        "MH215", "insert-select-star", "error",
        "INSERT INTO t SELECT * FROM s where t and s order their columns differently",
        "SELECT * copies by position: values land in the wrong columns, silently",
        "name the columns on both sides: INSERT INTO t (a, b) SELECT a, b FROM s",
        "all", _LOSS,
    ),
    (
        "MH216", "or-ignore-copy", "warning",
        "INSERT OR IGNORE / OR REPLACE … SELECT into a table stricter than its source (under "
        "OR REPLACE: a UNIQUE set, or a NOT NULL column with a DEFAULT; its CHECKs and other "
        "NOT NULLs abort the statement as a plain INSERT does; a NOT NULL column filled from a "
        "value the SELECT's WHERE keeps NULL out of, with `x IS NOT NULL`, a comparison or "
        "json_each's `j.type = 'text'`, is no stricter)",
        "rows that break the new constraint are dropped or overwritten without an error",
        "copy with a plain INSERT so a bad row fails the migration, after cleaning the data",
        "all", _LOSS,
    ),
    (
        "MH217", "cast-narrowing", "warning",
        "a copy that turns a column into a narrower affinity (CAST, or a rebuilt column type; "
        "NUMERIC rebuilt as INTEGER is not one: the two affinities store the same values)",
        "CAST('abc' AS INTEGER) is 0 and INTEGER affinity turns '007' into 7: values change "
        "without an error",
        "keep the type, or convert only the values that read as numbers and check the rest",
        "all", _LOSS,
    ),
    (
        "MH218", "rebuild-copy-filters", "warning",
        "a rebuild's copy with WHERE, a LIMIT or OFFSET, or an INNER JOIN (not a join on a "
        "table the file filled with every value joined on: a lookup or TEMP map from the "
        "column's values, an existing lookup it first tops up with them (INSERT OR IGNORE … "
        "SELECT DISTINCT, where no other constraint can skip a value; or only the missing ones,"
        " WHERE NOT EXISTS / NOT IN over the lookup), a re-keyed parent where keys are "
        "enforced; nor on the parent of a NOT NULL key every writer enforces; nor on a literal,"
        " ON w.code = 'MAIN', after the file's INSERT of that row, which no other UNIQUE key, "
        "NOT NULL or CHECK can skip, and nothing deletes before the copy)",
        "rows the filter does not match are deleted with the old table",
        "copy every row (LEFT JOIN), and delete on purpose in a separate, reviewed statement",
        "all", _LOSS,
    ),
    (
        "MH219", "rebuild-resets-autoincrement", "warning",
        "a rebuild of an AUTOINCREMENT table",
        "the old table's sqlite_sequence row is dropped with it: ids of deleted rows are "
        "handed out again, and references to them in other systems point at new rows",
        "after the copy, restore the counter: INSERT OR REPLACE INTO sqlite_sequence",
        # only a history (delete, rebuild, insert) shows an id handed out again
        "all", _LOSS + "@stateful",
    ),
    (
        "MH220", "rebuild-drops-dependents", "warning",
        "a rebuild whose new table lacks a trigger or an index of the old one that the file "
        "neither drops by name nor re-creates, under any name (in a rollback: a trigger "
        "from before its migration)",
        "DROP TABLE takes the old table's triggers and indexes with it: an audit or "
        "updated_at trigger stops firing and a UNIQUE index stops refusing duplicates, "
        "silently (generated rebuilds re-create the indexes they manage, never a "
        "hand-written trigger)",
        "re-create the triggers and indexes after the rename (copy them from the migration "
        "that made them), or drop them by name if losing them is the point",
        "all", "",
    ),
    (
        "MH221", "down-drops-moved-values", "error",
        "a rollback that drops a table its migration made and filled with values it moved "
        "out of an older table (INSERT … SELECT, then DROP COLUMN or a rebuild without the "
        "column), without copying them back first",
        "the table holds the only copy of those values: rolling back brings the old column "
        "back empty and deletes every value with the table, on every database that ran the "
        "migration (an empty test database shows nothing)",
        "copy the values back before the drop: UPDATE users SET email = (SELECT email FROM "
        "user_emails WHERE user_id = users.id)",
        "sets with rollbacks", "data_loss",
    ),
    (
        "MH222", "rebuild-drops-default-collate", "warning",
        "a forward rebuild whose new table keeps a column of the old one but drops its "
        "DEFAULT or its COLLATE (not one changed to another, nor COLLATE BINARY spelt out)",
        "every value is copied and nothing fails on deploy, but the application's next "
        "INSERT that leaves the column out stores NULL (or fails, NOT NULL), and "
        "comparisons and UNIQUE keys on it turn case-sensitive (COLLATE NOCASE lost)",
        "copy the column's definition from the old CREATE TABLE, DEFAULT and COLLATE "
        "included",
        "all", "",
    ),
    (
        "MH223", "rebuild-drops-constraint", "warning",
        "a forward rebuild whose new table keeps the columns of a UNIQUE or PRIMARY KEY "
        "constraint, a CHECK or a FOREIGN KEY of the old one but enforces none of it (not "
        "where a key within it, a CHECK on the same columns or a key from the same columns "
        "stays, a key widened only by columns the rebuild adds (a tenant column scoping the "
        "UNIQUE or FOREIGN KEY), nor where the parent table is gone)",
        "every row is copied and nothing fails on deploy; afterwards duplicates, values the "
        "CHECK refused and orphans get in, an ON CONFLICT upsert on the key fails, and a "
        "parent's delete no longer cascades",
        "copy the constraint from the old CREATE TABLE into the new one (or create the "
        "UNIQUE index after the rename), or suppress with the reason if dropping it is "
        "the point",
        "all", "",
    ),
    (
        "MH224", "down-deletes-beyond-seed", "warning",
        "a rollback's DELETE of the rows its migration seeded (INSERT … VALUES) by a WHERE "
        "of column = value terms that match a seed row, where the columns compared cover "
        "no UNIQUE key or PRIMARY KEY of the table (DELETE FROM settings WHERE name = "
        "'theme' for the seeded default)",
        "every row the application wrote with the same values (each user's own 'theme' "
        "setting) matches too, and rolling back deletes them with the seed; every test "
        "database holds only the seed, and check excuses a table the rollback writes",
        "delete the seed by its key (WHERE id = 1000 with the id the up inserted, or a "
        "UNIQUE column), or narrow the WHERE to what only the seed holds",
        "sets with rollbacks", "",
    ),
    (
        "MH301", "pragma-foreign-keys-ignored", "warning",
        "PRAGMA foreign_keys asking for another value than the one in effect, in a file the "
        "runner wraps in a transaction, or on D1 (not a trailing ON nothing after it depends "
        "on, where the set keeps keys off: check's MH108 note; not an OFF nothing after it "
        "depends on in the schema the file starts on, such as drizzle-kit's rebuild of a "
        "table no foreign key references and no trigger writes through, whose copy keeps "
        "only the keys the old table had)",
        "the pragma is a silent no-op there: a rebuild written for keys off runs with keys on "
        "and cascades (the D1 'rebuild wiped the child tables' incident)",
        "write the rebuild so it is safe with keys on, or use the runner's no-transaction "
        "option; on D1 use PRAGMA defer_foreign_keys",
        "d1, golang-migrate, goose, dbmate, sqlx, diesel", "runner_conflict " + _LOSS,
    ),
    (
        "MH302", "rebuild-cascade", "error",
        "DROP TABLE of a parent with ON DELETE CASCADE/SET NULL children while keys are on, "
        "or the DELETE that empties a table kept aside (and put back) for such a rebuild",
        "dropping the parent deletes (or nulls) every child row: the cascade bug of table "
        "rebuilds under D1 and keys-on runners",
        "avoid the rebuild (ALTER TABLE … RENAME/DROP COLUMN), or rebuild the children too, "
        "or run the file with keys off outside a transaction where the runner allows it",
        # the forward loss only: the rollback's own DELETE of the seed cascades by its word
        "d1, sqlite, sqlx, any runner with keys on", _LOSS + "@apply_keeps_data",
    ),
    (
        "MH303", "transaction-statement", "error",
        "BEGIN/COMMIT/ROLLBACK in a file the runner wraps; any of them or SAVEPOINT on D1",
        "the migration fails ('cannot start a transaction within a transaction', D1's "
        "'To execute a transaction, please use…'), or COMMIT ends the runner's transaction",
        "remove them: the runner already runs the file atomically",
        "d1, golang-migrate, goose, dbmate, sqlx, diesel", _APPLY + " runner_conflict",
    ),
    (
        "MH304", "rename-referenced-table", "warning",
        "ALTER TABLE … RENAME TO of a table that views or triggers name, renamed away (the "
        "file then creates a table under the old name or drops the renamed one)",
        "SQLite rewrites the views and triggers to follow the rename: a rebuild that renames "
        "the old table away leaves them on the copy it drops, and the next statement or "
        "write fails",
        "rebuild with CREATE new / copy / DROP old / RENAME new, and re-create the views and "
        "triggers after it",
        "all", _APPLY + " rollback_error",
    ),
    (
        "MH305", "vacuum-in-transaction", "error",
        "VACUUM in a file the runner wraps in a transaction",
        "the migration fails: SQLite cannot VACUUM inside a transaction",
        "run VACUUM outside migrations, or in a file the runner does not wrap",
        "golang-migrate, goose, dbmate, sqlx, diesel", _APPLY,
    ),
    (
        "MH306", "orphaning-delete", "warning",
        "DELETE from a parent table while foreign keys are off (the runner's default, or a "
        "PRAGMA in a file it does not wrap), unless its WHERE spares parents a child row points "
        "at (NOT EXISTS / NOT IN over the child's key, or IN over a LEFT JOIN to the child "
        "whose key IS NULL), or the file first deleted the children "
        "of the same parents (fk IN (the same selection), or IN the ids of the archive the "
        "file filled with those parents) or moved every child to a parent "
        "that stays (shown on probe rows)",
        "no ON DELETE action runs and nothing refuses the delete: child rows keep ids of "
        "deleted parents (orphans), and the next write to them fails once keys are on",
        "delete the children first (or run with keys on), then PRAGMA foreign_key_check",
        "runners with keys off: golang-migrate, goose, dbmate, diesel; files that turn them off",
        "fk_violation " + _LOSS,
    ),
    (
        "MH307", "replace-cascades", "warning",
        "INSERT OR REPLACE (or REPLACE INTO) into a table that existed before the file, whose "
        "rows other tables reference with ON DELETE CASCADE or SET NULL, while keys are on",
        "REPLACE resolves a conflict by deleting the row already there before inserting: the "
        "delete runs ON DELETE, so a seed that upserts a row production already has deletes "
        "its child rows (or unlinks them), silently",
        "use INSERT … ON CONFLICT (key) DO UPDATE SET …, which changes the row in place, or "
        "INSERT OR IGNORE where the row may stay as it is",
        # the forward loss only: the rollback's own DELETE of the seed cascades by its word
        "d1, sqlite, sqlx, any runner with keys on", _LOSS + "@apply_keeps_data",
    ),
    (
        "MH308", "merge-cascades", "warning",
        "a DELETE that merges duplicate rows (keeps one of rows alike but for their key, "
        "shown on probe rows) of a parent whose ON DELETE CASCADE / SET NULL children hold "
        "rows, while keys are on, unless the file first moved the children to the row that "
        "stays or deleted them itself",
        "the children of every row merged away are deleted (or unlinked) with it instead of "
        "following the row that stays: a dedupe of accounts deletes the duplicates' posts; "
        "a test database without duplicates shows nothing",
        "point the children at the kept row first: UPDATE child SET parent_id = (SELECT "
        "min(id) FROM parent p2 WHERE p2.email = (SELECT email FROM parent WHERE id = "
        "child.parent_id)), then DELETE",
        "d1, sqlite, sqlx, any runner with keys on", _LOSS,
    ),
    (
        "MH311", "drop-column-refused", "error",
        "DROP COLUMN of an indexed, UNIQUE, PRIMARY KEY, foreign-key or CHECK-referenced column",
        "SQLite refuses the statement: the deploy stops at this file",
        "drop the index or constraint first (a rebuild for constraints), then the column",
        "all", _APPLY,
    ),
    (
        "MH312", "add-column-volatile-default", "error",
        "ADD COLUMN with a non-constant DEFAULT (CURRENT_TIMESTAMP, an expression)",
        "SQLite accepts it on an empty table and refuses it on a table with rows: the deploy "
        "fails in production only",
        "add the column with a constant default (or NULL) and backfill with an UPDATE",
        "all", _APPLY,
    ),
    (
        "MH313", "fk-parent-not-unique", "error",
        "a foreign key whose parent columns are neither the PRIMARY KEY nor UNIQUE, or whose "
        "parent table does not exist when its deploy ends (each where some connection "
        "enforces keys)",
        "SQLite accepts the schema and fails every later write to the child with 'foreign "
        "key mismatch' (or 'no such table')",
        "point the key at the parent's PRIMARY KEY, or make the parent columns UNIQUE",
        "all (when foreign keys are on)", _APPLY + " fk_violation integrity_error",
    ),
    (
        "MH314", "fk-index-collation", "error",
        "a foreign key whose parent UNIQUE index uses another collation than the columns",
        "SQLite cannot use the index as the parent key: 'foreign key mismatch' at the next "
        "write",
        "declare the collation on the parent column itself (or drop it from the index)",
        "all (when foreign keys are on)", _APPLY + " fk_violation integrity_error",
    ),
    (
        "MH315", "function-too-new", "error",
        "a function or operator newer than the target's SQLite (unhex, concat, ->>, …)",
        "the statement passes on a developer's recent SQLite and fails on the runner's",
        "use the older spelling (json_extract for ->>, || for concat) or raise the minimum",
        "d1, and every target whose sqlite_version the config names", _APPLY,
    ),
    (
        "MH334", "function-maybe-too-new", "warning",
        "a function or operator newer than the SQLite this machine runs (unhex, concat, "
        "->>, …), where the target's SQLite is not known",
        "the runner's driver brings its own SQLite: on an older one the statement fails "
        "with 'no such function' or a syntax error; check cannot run it here",
        "set sqlite_version in [tool.migration-harness] to the SQLite your driver bundles "
        "(then MH315 judges it), or use the older spelling",
        "every target but d1 while sqlite_version is unset", _APPLY,
    ),
    (
        "MH316", "double-quoted-string", "warning",
        'a "double-quoted" name that matches no column, which SQLite reads as a string (not a '
        "bare `DEFAULT \"x\"`, which SQLite's grammar reads as a string on every build)",
        "a typo in a column name becomes a constant string instead of an error; builds "
        "without the legacy (SQLITE_DQS=0) refuse the statement",
        "use 'single quotes' for strings, \"double quotes\" only for names",
        "all", _APPLY + " " + _LOSS,
    ),
    (
        "MH317", "foreign-dialect", "error",
        "another database's syntax (DROP INDEX … ON, ALTER COLUMN, DROP/ADD CONSTRAINT, MODIFY); "
        "libSQL's ALTER COLUMN … TO only where the set's dialect is not libsql",
        "SQLite refuses it with a syntax error: the deploy stops at this file",
        "SQLite spells it DROP INDEX x, and changes constraints and types with a rebuild",
        "all", _APPLY,
    ),
    (
        "MH318", "statement-fails", "error",
        "a statement SQLite refuses on the schema at this point of the history, or on the "
        "rows the set's own files seed (a literal INSERT its CHECK refuses; a later "
        "rebuild's copy the seeded rows break, as 'Free' under a CHECK that lost NOCASE); "
        "or a file the runner refuses before running it (drizzle: two statements in one "
        "'--> statement-breakpoint' piece; Flyway: PRAGMA foreign_keys beside other "
        "statements without mixed)",
        "the migration fails on every database, empty or not",
        "run the file on a copy of the previous version and fix the statement",
        "all", _APPLY,
    ),
    (
        "MH319", "edits-sqlite-schema", "error",
        "INSERT, UPDATE or DELETE on sqlite_master (PRAGMA writable_schema); on libsql, an "
        "ALTER COLUMN adding NOT NULL or a CHECK (libSQL rewrites sqlite_schema the same way), "
        "unless the file's UPDATEs and DELETEs of the table before it mend every row it would "
        "refuse (run on probe rows; a mend reading other tables must hold with them empty "
        "and full)",
        "SQLite takes the new definition on trust: a NOT NULL or CHECK added this way is not "
        "checked against existing rows, and PRAGMA integrity_check fails afterwards (the "
        "'make a column NOT NULL without a rebuild' shortcut)",
        "rebuild the table (create new, copy, drop, rename), or fix the data first",
        "all (D1 refuses writable_schema)", "integrity_error " + _APPLY,
    ),
    (
        "MH320", "ignores-check-constraints", "error",
        "PRAGMA ignore_check_constraints = ON",
        "the statements after it write rows that break CHECKs: integrity_check fails, and "
        "the next UPDATE of such a row is refused in production (the 'make the UPDATE unable "
        "to fail' shortcut)",
        "fix the data so it meets the CHECK, or change the CHECK with a rebuild",
        "all", "integrity_error " + _APPLY,
    ),
    (
        "MH321", "quoted-name-as-text", "error",
        'a "double-quoted" name of a column of the table the statement writes that no table '
        "it reads has at that point (INSERT … SELECT \"c\" FROM s without s.c; UPDATE t SET "
        'x = "y" before y exists), which SQLite reads as the string',
        "every row written gets the text 'c' instead of the column's value, silently (DQS is "
        "on in D1 and most runners' SQLite); builds with SQLITE_DQS=0 (better-sqlite3, under "
        "drizzle's migrator) refuse the statement instead",
        "read the column from a table that has it (qualify it: s.c), or write the string in "
        "'single quotes' if text was meant",
        "all", _LOSS + " " + _APPLY,
    ),
    (
        "MH322", "dangling-reference", "error",
        "a view or trigger left naming a table or column that does not exist after the file "
        "(a trigger inserting into a table never created, a view over a dropped table), or "
        "whose body SQLite cannot compile (an ambiguous column, a built-in function called "
        "with the wrong number of arguments)",
        "SQLite checks the body only when it is used: the file applies, then every write that "
        "fires the trigger (or read of the view) fails, and so does every later ALTER TABLE "
        "… RENAME, which re-checks the whole schema",
        "create what the body names first, or drop and re-create the view or trigger with the "
        "table it reads",
        "all", "dangling_reference",
    ),
    (
        "MH323", "default-is-text", "error",
        "a column DEFAULT written as a quoted string that reads as a function call or time "
        "keyword ('CURRENT_TIMESTAMP', 'now()', 'datetime(''now'')')",
        "SQLite stores the quoted text as written: every row inserted without the column gets "
        "the words instead of the time or id, and nothing fails",
        "write the expression unquoted, in parentheses: DEFAULT CURRENT_TIMESTAMP, DEFAULT "
        "(datetime('now'))",
        "all", "",
    ),
    (
        "MH324", "add-column-refused", "error",
        "ALTER TABLE … ADD COLUMN of a GENERATED … STORED column, of a REFERENCES column "
        "with a non-NULL DEFAULT while foreign keys are on, or of a column whose DEFAULT "
        "fails its own CHECK, on a table that existed before",
        "SQLite refuses each on a table with rows ('cannot add a STORED column', 'Cannot add a "
        "REFERENCES column with non-NULL default value', 'CHECK constraint failed': every "
        "existing row holds the default) and accepts them on the empty table of every test "
        "database: the deploy fails in production only",
        "add the column VIRTUAL (or rebuild the table); add the key column with DEFAULT NULL "
        "and backfill, or rebuild; give the column a DEFAULT its CHECK accepts",
        "all (REFERENCES: where keys are on)", _APPLY,
    ),
    (
        "MH325", "rowid-alias-lost", "error",
        "a forward file after which a table's id column is still its whole PRIMARY KEY but "
        "no longer aliases the rowid (a rebuild re-declaring INTEGER PRIMARY KEY as INT, "
        "BIGINT or WITHOUT ROWID)",
        "only INTEGER PRIMARY KEY is the rowid: every INSERT that leaves the id out, as the "
        "application does, stores NULL there (or fails where the column is NOT NULL) instead "
        "of the next id; the rows already there keep theirs, so every test passes",
        "declare the column exactly INTEGER PRIMARY KEY in the new table",
        "all", "",
    ),
    (
        "MH326", "set-null-not-null", "error",
        "a foreign key ON DELETE (or ON UPDATE) SET NULL on a NOT NULL column, or SET "
        "DEFAULT where the column's default is NULL (keys on)",
        "the action writes NULL into the child row and its NOT NULL refuses it: deleting any "
        "parent that has a child fails ('NOT NULL constraint failed'), where the author meant "
        "the children to be kept and unlinked",
        "make the column nullable if children may outlive their parent, or choose CASCADE or "
        "RESTRICT",
        "all (when foreign keys are on)", _APPLY,
    ),
    (
        "MH327", "drop-parent-refused", "error",
        "DROP TABLE of a parent whose children (ON DELETE NO ACTION or RESTRICT) hold rows, "
        "while keys are on and no PRAGMA defer_foreign_keys = ON precedes it with an OFF "
        "after it in the same transaction (ON defers NO ACTION and turns RESTRICT's action "
        "off; OFF clears the count of deferred violations the DROP left, which the rename "
        "does not)",
        "DROP TABLE deletes every row first and the child's key refuses it: a rebuild of the "
        "parent fails ('FOREIGN KEY constraint failed') on every database whose children hold "
        "a row, and applies on every empty test database",
        "PRAGMA defer_foreign_keys = ON before the rebuild and OFF after it (D1, keys-on "
        "runners), or run it with keys off outside a transaction where the runner allows it",
        "d1, sqlite, sqlx, any runner with keys on", _APPLY,
    ),
    (
        "MH328", "non-deterministic-expression", "error",
        "an index expression, a partial index's WHERE, a CHECK or a generated column that "
        "calls a date or time function on the clock ('now': datetime('now'), julianday())",
        "SQLite stores the schema and refuses each evaluation ('non-deterministic use of "
        "julianday() in an index'): the CREATE INDEX fails on a table with rows, and on an "
        "empty table every later INSERT fails; every empty test database applies the file",
        "compare with the clock in the query, not in the schema (WHERE created_at > "
        "datetime('now', '-1 day') at read time), or store the time in a column the "
        "application fills",
        "all", _APPLY,
    ),
    (
        "MH329", "null-comparison", "error",
        "a WHERE (of an UPDATE, DELETE, copy, view or partial index), a JOIN's ON, a CASE "
        "WHEN or iif(), a CHECK or a trigger's WHEN comparing with NULL: x = NULL, x != NULL, "
        "x <> NULL, x < NULL, x NOT IN (…, NULL), CASE x WHEN NULL",
        "SQLite evaluates the comparison to NULL on every row: the file applies, and the "
        "data fix it exists for changes no row (UPDATE … WHERE closed_at = NULL), the copy "
        "copies nothing, a CASE writes its ELSE into every row, the partial index holds no "
        "row, the CHECK refuses nothing, the trigger never fires; nothing fails, so no test "
        "notices",
        "test with IS NULL / IS NOT NULL",
        "all", "",
    ),
    (
        "MH330", "guarded-create-skipped", "error",
        "a forward file's CREATE TABLE IF NOT EXISTS of a table an earlier file made "
        "without some of its columns or UNIQUE keys, CREATE UNIQUE INDEX IF NOT EXISTS under "
        "the name "
        "of an index already there that does not enforce its key (a plain index), or CREATE "
        "VIEW/TRIGGER IF NOT EXISTS under the name of one with another body",
        "SQLite skips the statement by name, on every database: the new columns never "
        "exist and every write naming them fails; the key is never unique, duplicates get "
        "in and an ON CONFLICT upsert on it fails; the view or trigger keeps its old body; "
        "every test database applies the file",
        "change the existing table with ALTER TABLE … ADD COLUMN; DROP the index, view or "
        "trigger before creating the new one",
        "all", "",
    ),
    (
        "MH331", "not-in-nullable", "warning",
        "x NOT IN (SELECT c FROM t) in an UPDATE, DELETE, copy or view where t.c can be NULL "
        "(no NOT NULL, not a key) and the subquery's WHERE does not read c",
        "one NULL among the subquery's values makes NOT IN NULL for every row: the file "
        "applies and its UPDATE changes no row, its DELETE removes none, its copy copies "
        "none, as soon as one row of t holds NULL there (a parent deleted under ON DELETE "
        "SET NULL); a test database without such a row shows the intended result",
        "use NOT EXISTS (SELECT 1 FROM t WHERE t.c = x), or add WHERE c IS NOT NULL to the "
        "subquery",
        "all", "",
    ),
    (
        "MH332", "renamed-shipped-migration", "error",
        "a migration file that shipped under another name, renamed by a later commit (git's "
        "rename) so the key the runner recorded for it changed: under a runner that refuses "
        "an applied key no file has (sql-migrate, sqlx, refinery, Flyway, golang-migrate), or "
        "one that runs it again as new where the file fails on the tables it made",
        "every database the earlier release made stops at start (sql-migrate's 'unknown "
        "migration in database': asset-db 71d8253), or runs the file again and fails; a "
        "fresh test database never ran the old name and applies the set",
        "keep the shipped name (or the version the runner keys by); or ship a step that "
        "rewrites the tracking table's key before the new release migrates",
        "sql-migrate, sqlx, refinery, flyway, golang-migrate; re-running runners", _APPLY,
    ),
    (
        "MH333", "renamed-shipped-migration", "warning",
        "a migration file that shipped under another name, renamed by a later commit so the "
        "key a runner that runs every unrecorded key (wrangler, Prisma, yoyo, dbmate, goose, "
        "…) recorded for it changed, where the file applies again on the schema it made",
        "every database the earlier release made runs the file a second time: its "
        "statements pass (IF NOT EXISTS), but its data statements write again (a seed "
        "INSERT twice, an UPDATE applied twice) and its tracking table holds both names",
        "keep the shipped name (or the version the runner keys by); or make the file safe "
        "to run twice",
        "d1, prisma, drizzle-v1, yoyo, liquibase, dbmate, bun, diesel, atlas, goose, "
        "micrate, node-sqlite, postgrator", "",
    ),
    (
        "MH335", "runner-skips-statements", "error",
        "statements of a file its runner never runs and reports nothing about: the file's "
        "first statement only, where postgrator 7.3.0+ hands it to a node-sqlite3 "
        "execQuery; a chunk's first under micrate, a piece's first under Liquibase on "
        "Xerial; text liamstask goose leaves unterminated",
        "the migration is recorded applied without them: the schema lacks what they make "
        "(a BEGIN left alone keeps the connection in a transaction nothing commits), and "
        "later files fail or act on the old shape",
        "one statement per piece the runner sends (postgrator: an execSqlScript running "
        "db.exec; micrate: each statement on its own line; goose: end it with ';')",
        "postgrator-query, micrate, liquibase, goose-v1", _APPLY + " runner_conflict",
    ),
    (
        "MH401", "d1-too-many-columns", "error",
        "a table with more than 100 columns (Cloudflare: 'Maximum number of columns per "
        "table: 100')",
        "D1 refuses the migration",
        "split the table (a 1:1 side table)",
        "d1", _APPLY,
    ),
    (
        "MH402", "d1-statement-too-long", "error",
        "a statement longer than 100 KB (Cloudflare: 'Maximum SQL statement length: "
        "100,000 bytes (100 KB)')",
        "D1 refuses the migration (typically a seed INSERT with thousands of rows)",
        "split the INSERT into several statements",
        "d1", _APPLY,
    ),
    (
        "MH403", "d1-too-many-arguments", "error",
        "a function call with more than 32 arguments (Cloudflare: 'Maximum arguments per SQL "
        "function: 32')",
        "D1 refuses the migration (typically json_object with more than 16 pairs)",
        "nest the calls (json_patch of two json_object calls)",
        "d1", _APPLY,
    ),
    (
        "MH404", "d1-attach", "error",
        "ATTACH or DETACH",
        "D1 refuses it (SQLITE_AUTH): one database per binding",
        "move the data through the application or a second migration set",
        "d1", _APPLY,
    ),
    (
        "MH405", "d1-refused-pragma", "error",
        "a pragma D1 refuses (integrity_check, user_version, journal_mode, compile_options, "
        "writable_schema)",
        "D1 refuses the migration (SQLITE_AUTH)",
        "remove it; use quick_check or foreign_key_check, which D1 allows",
        "d1", _APPLY,
    ),
    (
        "MH406", "d1-temp-object", "error",
        "CREATE TEMP TABLE/VIEW/TRIGGER",
        "D1 refuses TEMP objects (SQLITE_AUTH)",
        "use a normal table and drop it at the end of the file",
        "d1", _APPLY,
    ),
    (
        "MH407", "d1-reserved-name", "error",
        "a table or index whose name starts with _cf_",
        "D1 reserves the prefix for Cloudflare's own tables and refuses it",
        "rename the object",
        "d1", _APPLY,
    ),
    (
        "MH408", "d1-vacuum", "error",
        "VACUUM",
        "D1 refuses it (SQLITE_AUTH); D1 manages its storage itself",
        "remove it",
        "d1", _APPLY,
    ),
    (
        "MH409", "d1-sqlite-version", "error",
        "a call to sqlite_version()",
        "D1 refuses the function (SQLITE_AUTH)",
        "remove it; feature-detect in the application instead",
        "d1", _APPLY,
    ),
    (
        "MH410", "d1-unterminated", "error",
        "a last statement without ';' in a D1 migration",
        "wrangler appends its tracking INSERT to the file: 'near \"INSERT\": syntax error'",
        "end the last statement with ';'",
        "d1", _APPLY,
    ),
    (
        "MH416", "d1-unsafe-integer", "warning",
        "an integer literal above 2^53 that no double holds (9007199254740993), stored by a D1 "
        "migration: in an INSERT's rows, an UPDATE's SET or a column DEFAULT (not one it "
        "only compares)",
        "SQLite stores all 64 bits, but the Worker reads and binds D1's values as JavaScript "
        "numbers, exact only up to 2^53: the application reads another number than the one "
        "stored, and a lookup that binds it matches no row",
        "store such ids as TEXT (or keep them within 2^53)",
        "d1", "",
    ),
    (
        "MH411", "down-leaves-object", "warning",
        "an object or column the migration creates that its rollback does not remove (or "
        "renames instead of dropping)",
        "after a rollback the next deploy of the migration fails on the leftover ('table "
        "already exists'), or the schema drifts from every fresh database",
        "drop in the rollback everything the migration creates",
        "sets with rollbacks", "rollback_schema_drift reapply_error",
    ),
    (
        "MH415", "down-changes-object", "warning",
        "a rollback that brings a table back different from before its migration (a type, "
        "a default, an ON DELETE action, a CHECK), or drops one that existed (not a default "
        "spelt otherwise with the same value: DEFAULT FALSE is DEFAULT 0); or that leaves "
        "out, or re-types, a trigger or view the migration dropped or replaced",
        "the rollback 're-typed from memory' passes review and changes behaviour: cascades "
        "become SET NULL, defaults change, and the next deploy of the migration meets a "
        "schema nobody tested",
        "rebuild the table with exactly its previous definition (copy it from the previous "
        "migration), or use ALTER TABLE … DROP COLUMN where it is enough",
        "sets with rollbacks", "rollback_schema_drift reapply_schema_drift",
    ),
    (
        "MH412", "create-without-guard", "warning",
        "CREATE without IF NOT EXISTS in a set applied without a tracking table",
        "re-running the file (by hand, or after a failure half-way) fails",
        "CREATE … IF NOT EXISTS",
        "untracked sets (lint --untracked)", "not_idempotent",
    ),
    (
        "MH413", "fk-without-index", "warning",
        "a new foreign key whose child columns no index starts with (under the parent "
        "column's collation)",
        "every delete or key update of the parent scans the child table (and D1 bills the "
        "rows read)",
        "CREATE INDEX on the child's foreign-key columns, with the parent column's COLLATE "
        "where it has one (SQLite's lookup compares under it)",
        "d1, and runners where the migration or the application's connections enforce "
        "keys (--foreign-keys on or --application-foreign-keys on)",
        "missing_fk_index",
    ),
    (
        "MH414", "redundant-index", "note",
        "a new index whose columns begin another index of the same table",
        "every write maintains it for nothing: the longer index serves the same lookups",
        "drop the shorter index",
        "all", "",
    ),
)  # fmt: skip


def confirmed_by(kind: str) -> tuple[str, ...]:
    """The ``check`` finding kinds that confirm a lint rule with data."""
    for row in LINT_RULES:
        if row[1] == kind:
            return tuple(row[7].split())
    return ()
