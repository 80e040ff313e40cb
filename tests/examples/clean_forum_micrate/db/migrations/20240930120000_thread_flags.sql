-- +micrate Up
ALTER TABLE threads ADD COLUMN flags TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(flags));
ALTER TABLE threads ADD COLUMN locked INTEGER GENERATED ALWAYS AS (coalesce(json_extract(flags, '$.locked'), 0)) VIRTUAL;
CREATE INDEX threads_pinned ON threads(board_id, last_post_at DESC) WHERE pinned = 1;

-- +micrate Down
DROP INDEX threads_pinned;
ALTER TABLE threads DROP COLUMN locked;
ALTER TABLE threads DROP COLUMN flags;
