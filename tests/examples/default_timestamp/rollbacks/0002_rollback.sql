DROP TABLE post_events;
