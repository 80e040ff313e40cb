-- Library branches; the one branch so far is 'main'.
-- +goose Up
CREATE TABLE branches (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
INSERT INTO branches (code, name) VALUES ('main', 'Main library');

-- +goose Down
DROP TABLE branches;
