CREATE TABLE IF NOT EXISTS contacts (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT
);
