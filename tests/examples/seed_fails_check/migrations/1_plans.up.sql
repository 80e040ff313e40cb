CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    tier TEXT NOT NULL CHECK (tier IN ('free', 'pro'))
);
INSERT INTO plans (id, tier) VALUES (1, 'Free'), (2, 'pro');
