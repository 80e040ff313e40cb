-- +migrate Up
UPDATE gardeners SET email = lower(trim(email)) WHERE email IS NOT NULL AND email <> lower(trim(email));
UPDATE gardeners SET email = NULL WHERE email = '';
UPDATE gardeners SET email = NULL
WHERE email IS NOT NULL AND id NOT IN (SELECT MIN(id) FROM gardeners WHERE email IS NOT NULL GROUP BY email);
CREATE UNIQUE INDEX gardeners_email ON gardeners(email) WHERE email IS NOT NULL;

-- +migrate Down
DROP INDEX gardeners_email;
