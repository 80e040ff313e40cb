-- Amounts become integer cents in an INTEGER column. Planted defect: CAST truncates
-- 19.99 * 100 = 1998.9999999999998 to 1998, a cent short.
CREATE TABLE payments_new (
    id      INTEGER PRIMARY KEY,
    payer   TEXT NOT NULL,
    amount  INTEGER NOT NULL CHECK (amount >= 0),
    paid_at TEXT NOT NULL
);
INSERT INTO payments_new (id, payer, amount, paid_at)
SELECT id, payer, CAST(amount * 100 AS INTEGER), paid_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
