CREATE TABLE IF NOT EXISTS requests (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL,
    request_data TEXT
);
