DROP TRIGGER ratings_count_delete;
DROP TRIGGER ratings_count_insert;
DROP TABLE recipe_stats;
DROP TABLE ratings;
