DROP VIEW track_genres;
DROP TABLE tracks;
DROP TABLE genres;
