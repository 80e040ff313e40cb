DROP VIEW customer_balances;
ALTER TABLE customers DROP COLUMN locale;
ALTER TABLE customers DROP COLUMN prefs;
