-- Planted defect: sqlx runs the rollback with foreign keys on, so the rebuild's DROP
-- TABLE artists deletes every artist first and ON DELETE CASCADE every track with it.
-- The rollback's own UPDATE of tracks touches only the negative counts.
UPDATE tracks SET plays = 0 WHERE plays < 0;
ALTER TABLE tracks DROP COLUMN explicit;
CREATE TABLE artists_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO artists_old (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_old RENAME TO artists;
