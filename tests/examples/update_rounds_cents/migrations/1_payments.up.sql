CREATE TABLE payments (
    id      INTEGER PRIMARY KEY,
    payer   TEXT NOT NULL,
    amount  NUMERIC NOT NULL,
    paid_at TEXT NOT NULL
);
