-- Written by hand: Prisma would drop `enrolledAt` and add `startedAt` (losing every
-- date); the column is renamed instead, as `@map` could not express it.
ALTER TABLE "Enrollment" RENAME COLUMN "enrolledAt" TO "startedAt";
