DROP TABLE albums;
DROP TABLE artists;
