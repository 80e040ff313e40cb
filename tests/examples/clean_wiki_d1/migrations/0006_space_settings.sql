-- Migration number: 0006 	 2025-03-17T09:00:00.000Z
-- Per-space settings keyed by (space, name): a WITHOUT ROWID table on its natural key,
-- STRICT so a number stays a number. Every space starts with its visibility.
CREATE TABLE space_settings (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    value    ANY,
    PRIMARY KEY (space_id, name)
) STRICT, WITHOUT ROWID;
INSERT INTO space_settings (space_id, name, value)
SELECT id, 'visibility', 'internal' FROM spaces;
