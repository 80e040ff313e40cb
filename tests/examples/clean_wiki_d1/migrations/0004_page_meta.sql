-- Migration number: 0004 	 2025-03-03T09:00:00.000Z
-- Free-form page metadata as JSON; the icon is read from it by a virtual column so the
-- sidebar query can index it.
ALTER TABLE pages ADD COLUMN meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta));
ALTER TABLE pages ADD COLUMN icon TEXT GENERATED ALWAYS AS (json_extract(meta, '$.icon')) VIRTUAL;
CREATE INDEX pages_icon_idx ON pages(icon) WHERE icon IS NOT NULL;
