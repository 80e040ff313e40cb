CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    price_cents INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    total_cents INTEGER GENERATED ALWAYS AS (price_cents * qty) VIRTUAL
);
