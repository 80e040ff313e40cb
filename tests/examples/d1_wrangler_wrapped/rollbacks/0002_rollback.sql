ALTER TABLE counters DROP COLUMN label;
