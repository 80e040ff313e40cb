-- A lookup of item kinds; re-running the seed after a hand fix must not fail.
CREATE TABLE item_kinds (
    code  TEXT PRIMARY KEY,
    label TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO item_kinds (code, label) VALUES
    ('part', 'Part'),
    ('tool', 'Tool'),
    ('consumable', 'Consumable');
ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'part'
    CHECK (kind IN ('part', 'tool', 'consumable'));
