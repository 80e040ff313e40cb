-- "Add NOT NULL without a rebuild": edit the stored CREATE TABLE through
-- writable_schema. Planted defect: SQLite never checks the rows already stored, so a
-- contact without a phone now breaks the table's own NOT NULL (integrity_check fails).
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = 'CREATE TABLE contacts (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT NOT NULL
)'
 WHERE type = 'table' AND name = 'contacts';
PRAGMA writable_schema = RESET;
