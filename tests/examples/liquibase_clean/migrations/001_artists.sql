--liquibase formatted sql

--changeset ann:1
--comment: artists and their tracks
CREATE TABLE IF NOT EXISTS artists (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tracks (
    id        INTEGER PRIMARY KEY,
    artist_id INTEGER NOT NULL REFERENCES artists(id),
    title     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_tracks_artist ON tracks(artist_id);
--rollback DROP TABLE tracks;
--rollback DROP TABLE artists;

--changeset ann:2 splitStatements:false
CREATE TRIGGER IF NOT EXISTS artists_delete_tracks AFTER DELETE ON artists
BEGIN
    DELETE FROM tracks WHERE artist_id = OLD.id;
END;
--rollback DROP TRIGGER artists_delete_tracks;
