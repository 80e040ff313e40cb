-- the same feed was added twice under different titles: episodes move to the first copy
UPDATE episodes
SET show_id = (
    SELECT MIN(k.id) FROM shows AS k, shows AS s
    WHERE s.id = episodes.show_id AND k.feed_url = s.feed_url
)
WHERE show_id NOT IN (SELECT MIN(id) FROM shows GROUP BY feed_url)
  AND NOT EXISTS (
    SELECT 1 FROM episodes AS e2, shows AS s, shows AS k
    WHERE s.id = episodes.show_id AND k.feed_url = s.feed_url
      AND k.id = (SELECT MIN(id) FROM shows WHERE feed_url = s.feed_url)
      AND e2.show_id = k.id AND e2.guid = episodes.guid
  );
--bun:split
-- an episode both copies carried is the same episode: the first copy's row stays
DELETE FROM episodes
WHERE show_id NOT IN (SELECT MIN(id) FROM shows GROUP BY feed_url);
--bun:split
DELETE FROM shows WHERE id NOT IN (SELECT MIN(id) FROM shows GROUP BY feed_url);
--bun:split
CREATE UNIQUE INDEX shows_feed_url ON shows(feed_url);
