CREATE TABLE IF NOT EXISTS orders (
    id            INTEGER PRIMARY KEY,
    customer      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    tracking_code TEXT,
    total         REAL NOT NULL DEFAULT 0
);
