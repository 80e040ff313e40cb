DROP VIEW track_titles;
DROP TRIGGER tracks_audit;
DROP TABLE track_audit;
