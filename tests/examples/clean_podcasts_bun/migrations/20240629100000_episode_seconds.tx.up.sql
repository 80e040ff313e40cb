-- durations came as 'mm:ss' or 'hh:mm:ss' text; the player wants seconds. The text stays
-- for the feeds that send something else.
ALTER TABLE episodes ADD COLUMN duration_s INTEGER;
--bun:split
UPDATE episodes
SET duration_s = CASE
    WHEN duration GLOB '[0-9]*:[0-5][0-9]:[0-5][0-9]'
        THEN CAST(substr(duration, 1, instr(duration, ':') - 1) AS INTEGER) * 3600
           + CAST(substr(duration, length(duration) - 4, 2) AS INTEGER) * 60
           + CAST(substr(duration, length(duration) - 1, 2) AS INTEGER)
    WHEN duration GLOB '[0-9]*:[0-5][0-9]'
        THEN CAST(substr(duration, 1, instr(duration, ':') - 1) AS INTEGER) * 60
           + CAST(substr(duration, length(duration) - 1, 2) AS INTEGER)
    END
WHERE duration IS NOT NULL;
