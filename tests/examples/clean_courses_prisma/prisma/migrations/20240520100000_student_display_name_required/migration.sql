/*
  Warnings:

  - Made the column `displayName` on table `Student` required. This step will fail if there are existing NULL values in that column.

*/
-- Edited by hand: a student without a display name is shown the part of the email
-- before the '@' (the whole email when there is none).
UPDATE "Student"
SET "displayName" = coalesce(nullif(substr("email", 1, instr("email", '@') - 1), ''), "email")
WHERE "displayName" IS NULL;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Student" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Student" ("createdAt", "displayName", "email", "id") SELECT "createdAt", "displayName", "email", "id" FROM "Student";
DROP TABLE "Student";
ALTER TABLE "new_Student" RENAME TO "Student";
CREATE UNIQUE INDEX "Student_email_key" ON "Student"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
