-- Revert tickets:schema from sqlite

BEGIN;

DROP TABLE comp_tickets;
DROP TABLE tickets;
DROP TABLE events;
DROP TABLE venues;

COMMIT;
