-- Both tables have a name: SQLite takes the view and refuses every read of it
-- ('ambiguous column name: name').
CREATE VIEW order_names AS
    SELECT orders.id, name FROM orders JOIN customers ON customers.id = orders.customer_id;
