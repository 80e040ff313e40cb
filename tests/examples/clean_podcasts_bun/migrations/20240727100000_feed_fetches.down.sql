DROP TABLE IF EXISTS feed_fetches;
