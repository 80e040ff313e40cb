CREATE TABLE ticket_events (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    old_status TEXT,
    new_status TEXT NOT NULL,
    at         TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id);

CREATE TRIGGER tickets_status_log AFTER UPDATE OF status ON tickets
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO ticket_events (ticket_id, old_status, new_status) VALUES (new.id, old.status, new.status);
END;
