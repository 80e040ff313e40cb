--liquibase formatted sql

--changeset ann:1
CREATE TABLE IF NOT EXISTS artists (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
--rollback DROP TABLE artists;

--changeset ann:2 splitStatements:false
--comment: the trigger needs splitStatements:false, and the index came along with it
CREATE TRIGGER IF NOT EXISTS artists_name_trim AFTER INSERT ON artists
BEGIN
    UPDATE artists SET name = trim(name) WHERE id = NEW.id;
END;
CREATE INDEX IF NOT EXISTS idx_artists_name ON artists(name);
--rollback DROP TRIGGER IF EXISTS artists_name_trim;
--rollback DROP INDEX IF EXISTS idx_artists_name;
