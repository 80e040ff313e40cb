-- Clean twin of d1_replace_cascades: the upsert changes row 1 in place; no book goes.
INSERT INTO authors (id, name) VALUES (1, 'Anonymous') ON CONFLICT (id) DO UPDATE SET name = excluded.name;
