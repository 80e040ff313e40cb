-- The clean twin of view_ambiguous_column and trigger_wrong_arity: the view names whose
-- name it reads, the trigger calls substr() with its arguments, and a function the
-- application registers (slugify) is no defect of the schema.
CREATE VIEW order_names AS
    SELECT orders.id, customers.name FROM orders JOIN customers ON customers.id = orders.customer_id;
ALTER TABLE orders ADD COLUMN initial TEXT;
ALTER TABLE orders ADD COLUMN slug TEXT;
CREATE TRIGGER orders_initial AFTER UPDATE OF name ON orders
BEGIN
    UPDATE orders SET initial = substr(NEW.name, 1, 1), slug = slugify(NEW.name) WHERE id = NEW.id;
END;
