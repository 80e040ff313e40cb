-- A trip cannot end before it starts. Trips the old app saved with the two times the
-- wrong way round get them swapped (SQLite reads every right-hand side from the row as
-- it was, so both values are kept); then the rule is enforced by a trigger pair, as a
-- CHECK would need a rebuild.
UPDATE trips
SET started_at = ended_at, ended_at = started_at
WHERE ended_at IS NOT NULL AND ended_at < started_at;
CREATE TRIGGER trips_times_insert BEFORE INSERT ON trips
WHEN new.ended_at IS NOT NULL AND new.ended_at < new.started_at
BEGIN
    SELECT RAISE(ABORT, 'a trip cannot end before it starts');
END;
CREATE TRIGGER trips_times_update BEFORE UPDATE OF started_at, ended_at ON trips
WHEN new.ended_at IS NOT NULL AND new.ended_at < new.started_at
BEGIN
    SELECT RAISE(ABORT, 'a trip cannot end before it starts');
END;
