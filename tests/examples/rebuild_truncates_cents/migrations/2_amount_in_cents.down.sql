CREATE TABLE payments_old (
    id      INTEGER PRIMARY KEY,
    payer   TEXT NOT NULL,
    amount  NUMERIC NOT NULL CHECK (amount >= 0),
    paid_at TEXT NOT NULL
);
INSERT INTO payments_old (id, payer, amount, paid_at)
SELECT id, payer, amount / 100.0, paid_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_old RENAME TO payments;
