CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX comments_ticket ON comments(ticket_id);

-- a customer's reply puts an answered ticket back in the queue
CREATE TRIGGER comments_reopen AFTER INSERT ON comments
WHEN new.author = 'customer'
BEGIN
    UPDATE tickets SET status = 'open' WHERE id = new.ticket_id AND status = 'pending';
END;
