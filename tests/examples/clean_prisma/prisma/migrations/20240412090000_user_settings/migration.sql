-- AlterTable
ALTER TABLE "User" ADD COLUMN "settings" JSONB NOT NULL DEFAULT '{}';

-- Added by hand: a published-post count per author, for the dashboard (a Prisma view).
CREATE VIEW "AuthorStats" AS
SELECT "u"."id" AS "authorId", "u"."name" AS "name", COUNT("p"."id") AS "published"
FROM "User" AS "u"
LEFT JOIN "Post" AS "p" ON "p"."authorId" = "u"."id" AND "p"."status" = 'PUBLISHED'
GROUP BY "u"."id", "u"."name";
