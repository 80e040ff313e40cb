-- A shipped order must carry its tracking code from now on. Orders shipped before this
-- release have none, and the guard fires on every UPDATE of them, not only on the one
-- that ships them.
CREATE TRIGGER IF NOT EXISTS orders_shipped_tracking
BEFORE UPDATE ON orders
WHEN NEW.status = 'shipped' AND NEW.tracking_code IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a shipped order needs a tracking code');
END;
