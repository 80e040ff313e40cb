-- The first importer wrote 'Open', 'CLOSED ' and 'resolved'. Fold them onto the three
-- states the app knows, then let the table refuse anything else. Nothing references
-- tickets yet, so the rebuild inside refinery's transaction drops no other row.
UPDATE tickets SET status = lower(trim(status)) WHERE status <> lower(trim(status));
UPDATE tickets SET status = 'closed' WHERE status IN ('resolved', 'done');
UPDATE tickets SET status = 'open' WHERE status NOT IN ('open', 'pending', 'closed');
UPDATE tickets SET priority = 3 WHERE priority IS NULL;

CREATE TABLE tickets_new (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    agent_id    INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    subject     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'closed')),
    priority    INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    opened_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    closed_at   TEXT
);
INSERT INTO tickets_new (id, customer_id, agent_id, subject, status, priority, opened_at, closed_at)
SELECT id, customer_id, agent_id, subject, status, min(max(priority, 1), 5), opened_at, closed_at
FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_customer ON tickets(customer_id);
CREATE INDEX tickets_agent ON tickets(agent_id);
