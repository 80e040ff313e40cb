-- Names SQLite accepts quoted: a space in one, letters outside ASCII in the other.
CREATE TABLE IF NOT EXISTS "order items" (
    id  INTEGER PRIMARY KEY,
    qty INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "Ünïcode" (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
