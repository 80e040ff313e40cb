-- +migrate Up
ALTER TABLE plantings ADD COLUMN notes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(notes));
ALTER TABLE plantings ADD COLUMN variety TEXT GENERATED ALWAYS AS (json_extract(notes, '$.variety')) VIRTUAL;
CREATE INDEX plantings_open ON plantings(plot_id, planted_on) WHERE harvested_on IS NULL;
CREATE INDEX plantings_year ON plantings(substr(planted_on, 1, 4));

-- +migrate Down
DROP INDEX plantings_year;
DROP INDEX plantings_open;
ALTER TABLE plantings DROP COLUMN variety;
ALTER TABLE plantings DROP COLUMN notes;
