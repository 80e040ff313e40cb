DROP TRIGGER orders_qty_guard;
