--liquibase formatted sql

--changeset ann:1
CREATE TABLE IF NOT EXISTS venues (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
--rollback DROP TABLE venues;

--changeset ann:2
CREATE TABLE IF NOT EXISTS shows (id INTEGER PRIMARY KEY, venue_id INTEGER NOT NULL REFERENCES venues(id), starts_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_shows_venue ON shows(venue_id);
--rollback DROP TABLE venues;
