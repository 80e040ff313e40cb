-- migrate:up
CREATE TABLE IF NOT EXISTS items (
    id   INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('video', 'pdf', 'document', 'other'))
);

-- migrate:down
DROP TABLE items;
