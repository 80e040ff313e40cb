CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    last_order_id INTEGER
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0)
);
CREATE INDEX orders_customer_id ON orders(customer_id);
CREATE TRIGGER orders_remember_last AFTER INSERT ON orders
BEGIN
    UPDATE customers SET last_order_id = NEW.id WHERE id = NEW.customer_id;
END;
