CREATE INDEX recipes_title_lower ON recipes(lower(title));
CREATE INDEX recipes_big_batches ON recipes(created_at) WHERE servings >= 8;
