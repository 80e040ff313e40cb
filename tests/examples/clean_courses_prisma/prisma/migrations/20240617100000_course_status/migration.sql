/*
  Warnings:

  - You are about to drop the column `published` on the `Course` table. All the data in the column will be lost.

*/
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Course" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "priceCents" INTEGER NOT NULL DEFAULT 0
);
-- Edited by hand: `published` is carried into `status` rather than dropped.
INSERT INTO "new_Course" ("createdAt", "id", "priceCents", "slug", "status", "title")
SELECT "createdAt", "id", "priceCents", "slug", CASE WHEN "published" THEN 'PUBLISHED' ELSE 'DRAFT' END, "title" FROM "Course";
DROP TABLE "Course";
ALTER TABLE "new_Course" RENAME TO "Course";
CREATE UNIQUE INDEX "Course_slug_key" ON "Course"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
