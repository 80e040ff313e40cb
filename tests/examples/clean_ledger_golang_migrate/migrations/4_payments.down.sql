DROP TRIGGER payments_ad;
DROP TRIGGER payments_ai;
ALTER TABLE invoices DROP COLUMN paid_cents;
DROP TABLE payments;
