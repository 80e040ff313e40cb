-- Clean twin of down_deletes_seed_by_name: the seed is deleted by the id it was given.
DELETE FROM settings WHERE id = 1000 AND name = 'theme';
