-- products' key needs shops.code UNIQUE: without the index every write to products
-- fails with 'foreign key mismatch' (keys are on).
DROP INDEX IF EXISTS idx_shops_code;
CREATE INDEX IF NOT EXISTS idx_shops_code_plain ON shops(code);
