CREATE TABLE payments (
    id      INTEGER PRIMARY KEY,
    payer   TEXT NOT NULL,
    amount  NUMERIC NOT NULL CHECK (amount >= 0),
    paid_at TEXT NOT NULL
);
