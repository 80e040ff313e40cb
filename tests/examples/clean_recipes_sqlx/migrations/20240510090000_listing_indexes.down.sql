DROP INDEX recipes_big_batches;
DROP INDEX recipes_title_lower;
