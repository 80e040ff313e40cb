-- Fines for late returns, in whole cents (STRICT: an amount is an integer).
-- +goose Up
CREATE TABLE fines (
    id           INTEGER PRIMARY KEY,
    checkout_id  INTEGER NOT NULL REFERENCES checkouts(id) ON DELETE CASCADE,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    paid         INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    created_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
) STRICT;
CREATE INDEX fines_checkout_id_idx ON fines(checkout_id);

-- +goose Down
DROP TABLE fines;
