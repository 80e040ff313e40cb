-- Payloads are stored compressed from now on (the application writes gzip BLOBs).
CREATE TABLE requests_new (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL,
    request_data BLOB
);
INSERT INTO requests_new (id, path, request_data)
    SELECT id, path, CAST(request_data AS BLOB) FROM requests;
DROP TABLE requests;
ALTER TABLE requests_new RENAME TO requests;
-- A compressed payload, as the application writes them (gzip header first).
INSERT OR IGNORE INTO requests (id, path, request_data) VALUES (1000000, '/health', X'1f8b0800');
