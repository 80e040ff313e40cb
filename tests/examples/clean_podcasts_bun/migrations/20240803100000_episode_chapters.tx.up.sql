ALTER TABLE episodes ADD COLUMN chapters TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(chapters));
--bun:split
ALTER TABLE episodes ADD COLUMN chapter_count INTEGER
    GENERATED ALWAYS AS (json_array_length(chapters)) VIRTUAL;
--bun:split
CREATE INDEX episodes_published ON episodes(show_id, published_at DESC) WHERE published_at IS NOT NULL;
