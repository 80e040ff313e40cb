DROP TRIGGER tracks_audit;
