-- agents keep their rows: a rebuild would fire ON DELETE SET NULL on every ticket
ALTER TABLE agents ADD COLUMN email TEXT COLLATE NOCASE;
CREATE UNIQUE INDEX agents_email ON agents(email) WHERE email IS NOT NULL;
