DROP INDEX events_venue;
DROP TABLE events;
DROP TABLE venues;
