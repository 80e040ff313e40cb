DROP INDEX IF EXISTS orders_user_id;
CREATE INDEX IF NOT EXISTS orders_user_id ON orders (user_id);
