-- Support tickets.
-- +goose Up
CREATE TABLE tickets (
    id        INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    status    TEXT NOT NULL DEFAULT 'open',
    closed_at TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_tickets_status ON tickets(status);

-- +goose Down
DROP TABLE tickets;
