-- posts.category becomes a key into categories.
-- Top the lookup up with every name in use, so the join below finds each post's row.
-- +migrate Up
INSERT OR IGNORE INTO categories (name) SELECT DISTINCT category FROM posts;
CREATE TABLE posts_new (
    id          INTEGER PRIMARY KEY,
    author_id   INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    status      TEXT,
    created_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    slug        TEXT
);
INSERT INTO posts_new (id, author_id, category_id, title, body, status, created_at, slug)
SELECT p.id, p.author_id, c.id, p.title, p.body, p.status, p.created_at, p.slug
FROM posts AS p
JOIN categories AS c ON c.name = p.category;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE INDEX idx_posts_category ON posts(category_id);
CREATE UNIQUE INDEX idx_posts_slug ON posts(slug);

-- +migrate Down
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
