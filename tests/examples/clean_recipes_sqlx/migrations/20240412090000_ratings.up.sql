CREATE TABLE ratings (
    recipe_id INTEGER NOT NULL REFERENCES recipes(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    stars     INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    PRIMARY KEY (recipe_id, user_id)
) WITHOUT ROWID;
CREATE INDEX ratings_user ON ratings(user_id);

-- totals kept by triggers so the listing never aggregates
CREATE TABLE recipe_stats (
    recipe_id    INTEGER PRIMARY KEY REFERENCES recipes(id) ON DELETE CASCADE,
    rating_count INTEGER NOT NULL DEFAULT 0,
    rating_sum   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER ratings_count_insert AFTER INSERT ON ratings BEGIN
    INSERT INTO recipe_stats (recipe_id, rating_count, rating_sum) VALUES (new.recipe_id, 1, new.stars)
    ON CONFLICT (recipe_id) DO UPDATE SET
        rating_count = rating_count + 1,
        rating_sum = rating_sum + excluded.rating_sum;
END;
CREATE TRIGGER ratings_count_delete AFTER DELETE ON ratings BEGIN
    UPDATE recipe_stats
    SET rating_count = rating_count - 1, rating_sum = rating_sum - old.stars
    WHERE recipe_id = old.recipe_id;
END;
