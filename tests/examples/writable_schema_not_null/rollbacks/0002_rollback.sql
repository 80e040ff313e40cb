PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = 'CREATE TABLE contacts (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT
)'
 WHERE type = 'table' AND name = 'contacts';
PRAGMA writable_schema = RESET;
