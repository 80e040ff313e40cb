DROP TRIGGER orders_status_audit;
DROP TABLE order_events;
