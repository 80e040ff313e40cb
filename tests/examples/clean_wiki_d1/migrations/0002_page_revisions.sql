-- Migration number: 0002 	 2025-02-10T09:00:00.000Z
-- Every edit of a page keeps the text it replaced. The trigger writes another table;
-- a revision goes with its page.
CREATE TABLE page_revisions (
    id       INTEGER PRIMARY KEY,
    page_id  INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    saved_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX page_revisions_page_id_idx ON page_revisions(page_id);
CREATE TRIGGER pages_keep_revision AFTER UPDATE OF title, body ON pages
WHEN old.title IS NOT new.title OR old.body IS NOT new.body
BEGIN
    INSERT INTO page_revisions (page_id, title, body) VALUES (old.id, old.title, old.body);
END;
