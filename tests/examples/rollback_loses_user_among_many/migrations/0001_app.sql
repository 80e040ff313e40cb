CREATE TABLE IF NOT EXISTS users (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS posts (
    id     INTEGER PRIMARY KEY,
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    body   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_posts_tag ON posts(tag_id);
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    id   INTEGER PRIMARY KEY,
    note TEXT NOT NULL
);
-- A trigger anywhere lets any write reach any table: every table is drawn for every check.
CREATE TRIGGER IF NOT EXISTS tags_audit AFTER INSERT ON tags
BEGIN
    INSERT INTO audit (note) VALUES ('tag ' || NEW.name);
END;
