DROP INDEX IF EXISTS idx_shops_code_plain;
CREATE UNIQUE INDEX IF NOT EXISTS idx_shops_code ON shops(code);
