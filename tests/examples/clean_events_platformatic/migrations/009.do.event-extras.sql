BEGIN;
ALTER TABLE events ADD COLUMN extras TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extras));
ALTER TABLE events ADD COLUMN online_url TEXT GENERATED ALWAYS AS (json_extract(extras, '$.online_url')) VIRTUAL;
CREATE INDEX events_online ON events(starts_at) WHERE online_url IS NOT NULL;
CREATE INDEX events_day ON events(date(starts_at));
COMMIT;
