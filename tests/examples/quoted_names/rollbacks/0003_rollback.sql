-- Planted defect: the rebuild copies only the rows without a note; the others are lost.
CREATE TABLE "Ünïcode_old" (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO "Ünïcode_old" (id, name) SELECT id, name FROM "Ünïcode" WHERE note IS NULL;
DROP TABLE "Ünïcode";
ALTER TABLE "Ünïcode_old" RENAME TO "Ünïcode";
