ALTER TABLE items DROP COLUMN kind;
DROP TABLE item_kinds;
