DROP TRIGGER posts_touch;
ALTER TABLE posts DROP COLUMN updated_at;
