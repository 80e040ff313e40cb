-- SQL stand-in for backend/internal/data/migrations/sqlite3/20241226183416_sync_children.go
-- of sysadminsmedia/homebox at 018b0d1ebac6b5e60179739adf38adf867ff8513 (our own text).
--
-- The Go file registers goose.AddMigrationContext(Up20241226183416, Down20241226183416):
-- a *sql.Tx migration, so goose runs it inside its transaction, as it runs this file.
-- Up reads pragma_table_info('items') and, when sync_child_items_locations is absent (it
-- always is after this set's own 20220929052825_init.sql), runs one tx.ExecContext whose
-- statements are the ones below, in order (modernc.org/sqlite executes every statement
-- of a multi-statement Exec). The PRAGMAs are kept: inside the transaction SQLite
-- ignores them, as it does in production. Down returns nil without touching the schema.

-- +goose Up
PRAGMA foreign_keys = off;

ALTER TABLE items
    ADD COLUMN sync_child_items_locations BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX IF NOT EXISTS item_name           ON items(name);
CREATE INDEX IF NOT EXISTS item_manufacturer   ON items(manufacturer);
CREATE INDEX IF NOT EXISTS item_model_number   ON items(model_number);
CREATE INDEX IF NOT EXISTS item_serial_number  ON items(serial_number);
CREATE INDEX IF NOT EXISTS item_archived       ON items(archived);
CREATE INDEX IF NOT EXISTS item_asset_id       ON items(asset_id);

PRAGMA foreign_keys = on;

-- +goose Down
