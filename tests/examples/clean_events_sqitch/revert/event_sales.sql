-- Revert tickets:event_sales from sqlite

BEGIN;

DROP VIEW event_sales;

COMMIT;
