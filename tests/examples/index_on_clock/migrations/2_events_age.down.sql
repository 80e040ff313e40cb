DROP INDEX idx_events_age;
