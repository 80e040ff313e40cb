-- Audit every new track, into a table the same file creates first.
CREATE TABLE track_audit (
    id INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL,
    action TEXT NOT NULL
);
CREATE TRIGGER tracks_audit AFTER INSERT ON tracks
BEGIN
    INSERT INTO track_audit (track_id, action) VALUES (NEW.id, 'insert');
END;
CREATE VIEW track_titles AS SELECT id, title FROM tracks;
