-- Revert shop:order_events from sqlite

BEGIN;

DROP TRIGGER orders_status_audit;
DROP TABLE order_events;

COMMIT;
