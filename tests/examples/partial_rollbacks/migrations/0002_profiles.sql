-- Planted defect: this migration has no rollback file while 0001 and 0003 do.
CREATE TABLE IF NOT EXISTS profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    bio     TEXT
);
