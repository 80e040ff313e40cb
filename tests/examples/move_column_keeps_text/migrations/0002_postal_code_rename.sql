-- Rename the postal code column by hand: add, copy, drop. The new column is TEXT too,
-- so every code keeps its leading zeros.
ALTER TABLE customers ADD COLUMN zip TEXT;
UPDATE customers SET zip = postal_code;
ALTER TABLE customers DROP COLUMN postal_code;
