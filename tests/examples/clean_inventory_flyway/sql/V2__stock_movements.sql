-- Stock changes are recorded as movements; a trigger applies each one to the stock row
-- it names, so stock.qty is the sum of its movements from now on.
CREATE TABLE stock_movements (
    id         INTEGER PRIMARY KEY,
    stock_id   INTEGER NOT NULL REFERENCES stock(id) ON DELETE CASCADE,
    delta      INTEGER NOT NULL CHECK (delta <> 0),
    reason     TEXT NOT NULL,
    moved_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX stock_movements_stock_id_idx ON stock_movements(stock_id);
CREATE TRIGGER stock_movements_apply AFTER INSERT ON stock_movements
BEGIN
    UPDATE stock SET qty = qty + new.delta WHERE id = new.stock_id;
END;
