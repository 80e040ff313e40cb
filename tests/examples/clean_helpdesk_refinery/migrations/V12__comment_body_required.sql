-- Empty comments came from a mail client that sent only an attachment. They get a
-- placeholder, and the table refuses blank bodies from now on. comments is a leaf (no key
-- points at it), so the rebuild inside refinery's transaction drops nothing else; its
-- search triggers go with the old table and are made again, the index content is
-- unchanged (same ids, same bodies after the placeholder is indexed).
UPDATE comments SET body = '(attachment only)' WHERE trim(body) = '';

CREATE TABLE comments_new (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL CHECK (trim(body) <> '')
);
INSERT INTO comments_new (id, ticket_id, created_at, author, body)
SELECT id, ticket_id, created_at, author, body FROM comments;
DROP TABLE comments;
ALTER TABLE comments_new RENAME TO comments;
CREATE INDEX comments_ticket ON comments(ticket_id);

CREATE TRIGGER comments_reopen AFTER INSERT ON comments
WHEN new.author = 'customer'
BEGIN
    UPDATE tickets SET status = 'open' WHERE id = new.ticket_id AND status = 'pending';
END;
CREATE TRIGGER comments_fts_ai AFTER INSERT ON comments BEGIN
    INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER comments_fts_ad AFTER DELETE ON comments BEGIN
    INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER comments_fts_au AFTER UPDATE OF body ON comments BEGIN
    INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body);
END;
