CREATE TABLE customers (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name  TEXT,
    phone TEXT
);

CREATE TABLE agents (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE tickets (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    agent_id    INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    subject     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    priority    INTEGER,
    opened_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    closed_at   TEXT
);
CREATE INDEX tickets_customer ON tickets(customer_id);
CREATE INDEX tickets_agent ON tickets(agent_id);
