-- The plans every account picks from, as one multi-row VALUES (no compound SELECT).
INSERT OR IGNORE INTO plans (code, seats) VALUES
    ('free', 1),
    ('solo', 1),
    ('team', 5),
    ('business', 25),
    ('enterprise', 100),
    ('education', 50);
