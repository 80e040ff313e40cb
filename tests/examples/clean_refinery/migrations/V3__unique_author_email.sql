-- One author per email: merge duplicates first.
-- Move the posts of duplicate accounts to the oldest account with the same email,
-- delete the duplicates, then enforce the key.
UPDATE posts SET author_id = (
    SELECT MIN(keep.id)
    FROM authors AS keep
    JOIN authors AS dup ON dup.email = keep.email
    WHERE dup.id = posts.author_id
)
WHERE author_id IN (
    SELECT id FROM authors WHERE id NOT IN (SELECT MIN(id) FROM authors GROUP BY email)
);
DELETE FROM authors WHERE id NOT IN (SELECT MIN(id) FROM authors GROUP BY email);
CREATE UNIQUE INDEX idx_authors_email ON authors(email);
