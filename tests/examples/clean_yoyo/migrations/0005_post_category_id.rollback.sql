CREATE TABLE posts_old (
    id         INTEGER PRIMARY KEY,
    author_id  INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    category   TEXT NOT NULL DEFAULT 'general',
    status     TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    slug       TEXT
);
INSERT INTO posts_old (id, author_id, title, body, category, status, created_at, slug)
SELECT p.id, p.author_id, p.title, p.body, COALESCE(c.name, 'general'), p.status,
       p.created_at, p.slug
FROM posts AS p
LEFT JOIN categories AS c ON c.id = p.category_id;
DROP TABLE posts;
ALTER TABLE posts_old RENAME TO posts;
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE UNIQUE INDEX idx_posts_slug ON posts(slug);
