-- Clean twin of rollback_forgets_trigger: the trigger comes back as it was.
CREATE TRIGGER posts_touch AFTER UPDATE OF body ON posts BEGIN UPDATE posts SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id; END;
