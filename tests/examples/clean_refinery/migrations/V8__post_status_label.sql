-- status becomes NOT NULL with a CHECK, slug NOT NULL; a generated body length.
-- Mend the rows the new CHECK and NOT NULL would refuse, then rebuild. The view reads
-- posts: RENAME checks every view, so it is dropped first and made again after.
DROP VIEW author_post_counts;
UPDATE posts SET status = 'draft' WHERE status IS NULL OR status NOT IN ('draft', 'published');
CREATE TABLE posts_new (
    id          INTEGER PRIMARY KEY,
    author_id   INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    slug        TEXT NOT NULL,
    body_length INTEGER GENERATED ALWAYS AS (length(body)) VIRTUAL
);
-- A post without a slug gets 'post-<id>', never NULL.
INSERT INTO posts_new (id, author_id, category_id, title, body, status, created_at, slug)
SELECT id, author_id, category_id, title, body, status, created_at, COALESCE(slug, 'post-' || id)
FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE INDEX idx_posts_category ON posts(category_id);
CREATE UNIQUE INDEX idx_posts_slug ON posts(slug);
CREATE TRIGGER posts_fts_ai AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER posts_fts_au AFTER UPDATE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO posts_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE VIEW author_post_counts AS
SELECT a.id AS author_id, a.name, COUNT(p.id) AS post_count
FROM authors AS a
LEFT JOIN posts AS p ON p.author_id = a.id
GROUP BY a.id, a.name;
