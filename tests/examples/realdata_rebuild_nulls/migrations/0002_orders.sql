CREATE TABLE IF NOT EXISTS orders (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    total   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_user_id ON orders (user_id);
