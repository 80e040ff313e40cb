DROP TABLE tracks;
DROP TABLE artists;
