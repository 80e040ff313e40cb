-- Sign-up never folded case, so some people hold two accounts. Their recipes move to
-- the oldest account of each address before the others go and the index is made.
UPDATE recipes
SET author_id = (
    SELECT MIN(k.id) FROM users AS k, users AS u
    WHERE u.id = recipes.author_id AND k.email = u.email COLLATE NOCASE
)
WHERE author_id NOT IN (SELECT MIN(id) FROM users GROUP BY email COLLATE NOCASE);

DELETE FROM users
WHERE id NOT IN (SELECT MIN(id) FROM users GROUP BY email COLLATE NOCASE);

CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE);
