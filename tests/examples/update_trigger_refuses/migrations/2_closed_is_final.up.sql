CREATE TRIGGER tickets_closed_final BEFORE UPDATE ON tickets
WHEN OLD.status = 'closed' OR NEW.status <> 'closed'
BEGIN
    SELECT RAISE(ABORT, 'a closed ticket cannot change');
END;
