-- Invoice numbers are their ids: AUTOINCREMENT so a deleted invoice's id is never reused.
CREATE TABLE IF NOT EXISTS invoices(
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    amount INTEGER NOT NULL CHECK (amount >= 0)
);
