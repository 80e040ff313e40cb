-- Repeatable: Flyway runs it again each time this file changes.
CREATE VIEW artist_names AS SELECT id, name FROM artists;
