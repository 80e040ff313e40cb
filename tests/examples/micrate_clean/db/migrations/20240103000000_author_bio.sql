-- +micrate Up
ALTER TABLE authors ADD COLUMN bio TEXT;

-- +micrate Down
ALTER TABLE authors DROP COLUMN bio;
