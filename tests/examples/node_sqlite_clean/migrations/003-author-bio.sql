-- Up
ALTER TABLE authors ADD COLUMN bio TEXT;

-- Down
ALTER TABLE authors DROP COLUMN bio;
