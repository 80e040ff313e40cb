DROP TABLE comments;
DROP TABLE tickets;
DROP TABLE invites;
DROP TABLE order_archive;
DROP TRIGGER orders_qty_guard;
