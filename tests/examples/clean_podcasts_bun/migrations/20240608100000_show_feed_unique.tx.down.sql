DROP INDEX shows_feed_url;
