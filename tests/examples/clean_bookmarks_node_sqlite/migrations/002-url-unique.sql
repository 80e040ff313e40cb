--------------------------------------------------------------------------------
-- Up
--------------------------------------------------------------------------------

-- The browser import added the same page once per device. The oldest bookmark of each
-- URL stays, with the first title any copy had.
UPDATE bookmarks
SET title = (
  SELECT b2.title FROM bookmarks AS b2
  WHERE b2.url = bookmarks.url AND b2.title IS NOT NULL
  ORDER BY b2.id LIMIT 1
)
WHERE title IS NULL;

DELETE FROM bookmarks
WHERE id NOT IN (SELECT MIN(id) FROM bookmarks GROUP BY url);

CREATE UNIQUE INDEX bookmarks_url ON bookmarks(url);

--------------------------------------------------------------------------------
-- Down
--------------------------------------------------------------------------------

DROP INDEX bookmarks_url;
