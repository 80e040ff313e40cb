-- Make the postal code a number without a rebuild: add, copy, drop. Planted defect:
-- INTEGER affinity stores '00501' as 501, and the text column it came from is dropped.
ALTER TABLE customers ADD COLUMN postal_number INTEGER;
UPDATE customers SET postal_number = postal_code;
ALTER TABLE customers DROP COLUMN postal_code;
