-- Make sure the label's house artist exists, with its country: an upsert changes the
-- row in place, so its albums stay.
INSERT INTO artists (id, name, country) VALUES (1, 'House Band', 'SE')
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country;
