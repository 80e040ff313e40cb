-- Deploy tickets:schema to sqlite

BEGIN;

CREATE TABLE venues (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    city TEXT NOT NULL
);
CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    venue_id  INTEGER NOT NULL REFERENCES venues(id),
    title     TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    capacity  INTEGER NOT NULL CHECK (capacity > 0)
);
CREATE INDEX events_venue_id_idx ON events(venue_id);
CREATE TABLE tickets (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    holder_email TEXT NOT NULL,
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    sold_at      TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX tickets_event_id_idx ON tickets(event_id);
CREATE TABLE comp_tickets (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    holder_email TEXT NOT NULL,
    reason       TEXT NOT NULL,
    issued_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX comp_tickets_event_id_idx ON comp_tickets(event_id);

COMMIT;
