-- D1 keeps keys on: DROP TABLE teams deletes every team first, and members' key refuses
-- it as soon as a member exists. PRAGMA defer_foreign_keys = ON would move the check to
-- the commit, when the renamed copy holds the same ids.
CREATE TABLE teams_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT
);
INSERT INTO teams_new (id, name) SELECT id, name FROM teams;
DROP TABLE teams;
ALTER TABLE teams_new RENAME TO teams;
