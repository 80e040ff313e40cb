-- Planted defect: "keep the old sessions for the audit" renames instead of dropping. The
-- index travels with the table, so re-applying 0002 recreates sessions while its
-- CREATE INDEX IF NOT EXISTS silently skips: sessions comes back without an index.
ALTER TABLE sessions RENAME TO sessions_archive;
