-- Planted defect: the payloads are cast back to TEXT instead of being decompressed, so
-- every compressed payload becomes TEXT holding bytes that are not UTF-8 (a real
-- history crashed reading them back: "Could not decode to UTF-8 column 'request_data'").
CREATE TABLE requests_old (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL,
    request_data TEXT
);
INSERT INTO requests_old (id, path, request_data)
    SELECT id, path, CAST(request_data AS TEXT) FROM requests;
DROP TABLE requests;
ALTER TABLE requests_old RENAME TO requests;
