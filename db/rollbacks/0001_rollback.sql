-- Rollback 0001: drop the core identity tables, children first.
-- WARNING: destroys every user, artist and follower row.
DROP INDEX IF EXISTS idx_artist_followers_follower_user_id;
DROP TABLE IF EXISTS artist_followers;
DROP TABLE IF EXISTS artists;
DROP INDEX IF EXISTS idx_users_referred_by_user_id;
DROP TABLE IF EXISTS users;
