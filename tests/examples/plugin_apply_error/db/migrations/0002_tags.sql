-- Planted defect: the index names a column the table does not have, so 0002 never applies
-- and 0003 cannot be reached.
CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_tags_owner ON tags(owner_id);
