CREATE INDEX idx_events_age ON events (julianday('now') - julianday(created_at));
