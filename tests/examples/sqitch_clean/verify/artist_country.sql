-- Verify music:artist_country on sqlite

SELECT country FROM artists WHERE 0;
