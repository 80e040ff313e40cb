-- migrate:up
-- Planted defects (two, from a real history): the rebuild narrows the CHECK to two types
-- but maps only 'video' ('document' and 'other' rows make it fail: apply_error), and the
-- mapping itself rewrites 'video' rows to 'pdf' (data_loss). One must not hide the other.
CREATE TABLE items_new (
    id   INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('video', 'pdf'))
);
INSERT INTO items_new (id, type)
    SELECT id, CASE WHEN type = 'video' THEN 'pdf' ELSE type END FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;

-- migrate:down
SELECT 1;
