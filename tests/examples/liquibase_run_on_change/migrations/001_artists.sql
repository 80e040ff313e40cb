--liquibase formatted sql

--changeset ann:1
CREATE TABLE IF NOT EXISTS artists (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
--rollback DROP TABLE settings;
--rollback DROP TABLE artists;

--changeset ann:2
--comment: a plain changeset: Liquibase records it and never runs it again
CREATE INDEX idx_artists_name ON artists(name);
--rollback DROP INDEX idx_artists_name;
