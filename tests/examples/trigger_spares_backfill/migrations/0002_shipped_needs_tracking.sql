-- A shipped order must carry its tracking code from now on: the guard fires only on the
-- UPDATE that ships an order (OF status, from another status).
CREATE TRIGGER IF NOT EXISTS orders_shipped_tracking
BEFORE UPDATE OF status ON orders
WHEN NEW.status = 'shipped' AND OLD.status != 'shipped' AND NEW.tracking_code IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a shipped order needs a tracking code');
END;
