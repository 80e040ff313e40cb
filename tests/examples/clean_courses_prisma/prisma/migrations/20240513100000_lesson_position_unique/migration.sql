/*
  Warnings:

  - A unique constraint covering the columns `[courseId,position]` on the table `Lesson` will be added. If there are existing duplicate values, this will fail.

*/
-- Edited by hand: in a course whose lessons share a position, the lessons are numbered
-- again 1, 2, 3 … in the order they are shown now (position, then id), so the key holds.
UPDATE "Lesson"
SET "position" = (
    SELECT "n" FROM (
        SELECT "id", ROW_NUMBER() OVER (PARTITION BY "courseId" ORDER BY "position", "id") AS "n"
        FROM "Lesson"
    ) AS "numbered"
    WHERE "numbered"."id" = "Lesson"."id"
)
WHERE "courseId" IN (
    SELECT "courseId" FROM "Lesson" GROUP BY "courseId", "position" HAVING COUNT(*) > 1
);

-- CreateIndex
CREATE UNIQUE INDEX "Lesson_courseId_position_key" ON "Lesson"("courseId", "position");
