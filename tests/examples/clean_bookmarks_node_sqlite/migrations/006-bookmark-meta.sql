--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

-- page metadata from the fetcher, with the site's host read out for grouping
ALTER TABLE bookmarks ADD COLUMN meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta));
ALTER TABLE bookmarks ADD COLUMN host TEXT GENERATED ALWAYS AS (
  lower(
    CASE WHEN instr(substr(url, instr(url, '//') + 2), '/') > 0
      THEN substr(substr(url, instr(url, '//') + 2), 1, instr(substr(url, instr(url, '//') + 2), '/') - 1)
      ELSE substr(url, instr(url, '//') + 2)
    END
  )
) VIRTUAL;
CREATE INDEX bookmarks_host ON bookmarks(host);

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP INDEX bookmarks_host;
ALTER TABLE bookmarks DROP COLUMN host;
ALTER TABLE bookmarks DROP COLUMN meta;
