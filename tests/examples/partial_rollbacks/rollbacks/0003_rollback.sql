ALTER TABLE profiles DROP COLUMN avatar_url;
