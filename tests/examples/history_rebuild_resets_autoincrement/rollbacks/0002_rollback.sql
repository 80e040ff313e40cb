-- Defect: the rebuild copies every row but not the AUTOINCREMENT counter, which restarts
-- at the highest id copied; ids of deleted invoices are handed out again.
CREATE TABLE invoices_old(
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    amount INTEGER NOT NULL CHECK (amount >= 0)
);
INSERT INTO invoices_old(id, amount) SELECT id, amount FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_old RENAME TO invoices;
