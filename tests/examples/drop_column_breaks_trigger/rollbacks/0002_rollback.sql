ALTER TABLE customers ADD COLUMN last_order_id INTEGER;
UPDATE customers SET last_order_id = (SELECT max(id) FROM orders WHERE customer_id = customers.id);
