/*
  Warnings:

  - A unique constraint covering the columns `[email]` on the table `User` will be added. If there are existing duplicate values, this will fail.

*/
-- Edited by hand: give the posts of duplicate accounts to the oldest account with the same
-- email, then remove the duplicates, so the index below finds none.
UPDATE "Post" SET "authorId" = (
    SELECT "keep"."id" FROM "User" AS "keep"
    JOIN "User" AS "dup" ON "dup"."email" = "keep"."email"
    WHERE "dup"."id" = "Post"."authorId"
    ORDER BY "keep"."createdAt", "keep"."id"
    LIMIT 1
)
WHERE "authorId" IN (
    SELECT "dup"."id" FROM "User" AS "dup"
    WHERE EXISTS (
        SELECT 1 FROM "User" AS "older"
        WHERE "older"."email" = "dup"."email"
          AND ("older"."createdAt", "older"."id") < ("dup"."createdAt", "dup"."id")
    )
);
DELETE FROM "User" WHERE "id" <> (
    SELECT "keep"."id" FROM "User" AS "keep"
    WHERE "keep"."email" = "User"."email"
    ORDER BY "keep"."createdAt", "keep"."id"
    LIMIT 1
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
