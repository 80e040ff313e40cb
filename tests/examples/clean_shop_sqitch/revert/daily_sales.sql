-- Revert shop:daily_sales from sqlite

BEGIN;

DROP TABLE daily_sales;

COMMIT;
