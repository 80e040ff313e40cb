-- refuse negative quantities, and freeze the audit table on purpose
CREATE TRIGGER orders_qty_guard BEFORE INSERT ON orders
WHEN NEW.qty < 0
BEGIN
    SELECT RAISE(ABORT, 'quantity must not be negative');
END;
CREATE TABLE order_archive (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL);
CREATE TRIGGER order_archive_read_only BEFORE INSERT ON order_archive
BEGIN
    SELECT RAISE(ABORT, 'order_archive is read-only');
END;
CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
    expires_at TEXT NOT NULL CHECK (expires_at > datetime(created_at, '+1 minute')),
    created_at TEXT NOT NULL
);
CREATE TABLE tickets (id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'open', title TEXT NOT NULL);
CREATE TRIGGER tickets_closed_final BEFORE UPDATE ON tickets
WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'a closed ticket cannot change');
END;
CREATE TABLE comments (id INTEGER PRIMARY KEY, body TEXT NOT NULL, spam INTEGER NOT NULL DEFAULT 0);
CREATE TRIGGER comments_no_spam BEFORE INSERT ON comments
WHEN NEW.spam = 1
BEGIN
    SELECT RAISE(IGNORE);
END;
