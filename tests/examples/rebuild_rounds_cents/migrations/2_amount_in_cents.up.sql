-- Amounts become integer cents in an INTEGER column, rounded to the nearest cent.
CREATE TABLE payments_new (
    id      INTEGER PRIMARY KEY,
    payer   TEXT NOT NULL,
    amount  INTEGER NOT NULL CHECK (amount >= 0),
    paid_at TEXT NOT NULL
);
INSERT INTO payments_new (id, payer, amount, paid_at)
SELECT id, payer, CAST(ROUND(amount * 100) AS INTEGER), paid_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
