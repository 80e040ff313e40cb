DROP VIEW IF EXISTS artist_names;
CREATE VIEW artist_names AS SELECT id, name FROM artists;
