-- Charge a monthly fee. Planted defect: the CHECK is switched off so that the UPDATE
-- "cannot fail"; accounts below the fee end up negative and break their own CHECK
-- (integrity_check reports it for accounts, the only table the file touches).
PRAGMA ignore_check_constraints = ON;
UPDATE accounts SET balance = balance - 5;
PRAGMA ignore_check_constraints = OFF;
