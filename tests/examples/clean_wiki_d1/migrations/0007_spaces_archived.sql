-- Migration number: 0007 	 2025-04-01T09:00:00.000Z
-- spaces gets an archived flag and a CHECK on its key, which needs a rebuild. Keys the
-- rule would refuse are replaced first by 'space-<id>'.
UPDATE spaces
SET key = 'space-' || id
WHERE key GLOB '*[^a-z0-9-]*' OR key = '';
-- pages and space_settings point at spaces. D1 enforces keys on every connection, so the
-- check is deferred to the end of the file: dropping the old table leaves the children
-- waiting for the new one. space_settings' CASCADE would still fire on DROP TABLE, so
-- its rows are kept aside and put back.
PRAGMA defer_foreign_keys = on;
CREATE TABLE space_settings_keep AS SELECT space_id, name, value FROM space_settings;
DELETE FROM space_settings;
DROP VIEW space_page_counts;
CREATE TABLE spaces_new (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE CHECK (key <> '' AND key NOT GLOB '*[^a-z0-9-]*'),
    archived_at TEXT,
    created_at  TEXT NOT NULL DEFAULT (datetime('now'))
);
INSERT INTO spaces_new (id, key, name, created_at)
SELECT id, key, name, created_at FROM spaces;
DROP TABLE spaces;
ALTER TABLE spaces_new RENAME TO spaces;
INSERT INTO space_settings (space_id, name, value)
SELECT space_id, name, value FROM space_settings_keep;
DROP TABLE space_settings_keep;
CREATE VIEW space_page_counts AS
SELECT s.id AS space_id, s.key, COUNT(p.id) AS pages
FROM spaces AS s
LEFT JOIN pages AS p ON p.space_id = s.id
WHERE s.archived_at IS NULL
GROUP BY s.id, s.key;
PRAGMA defer_foreign_keys = off;
