-- The house artist is kept: it may have existed before.
SELECT 1;
