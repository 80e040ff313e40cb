-- AlterTable
ALTER TABLE "Post" ADD COLUMN "slug" TEXT;

-- Edited by hand: every existing post gets 'post-<id>' (ids are unique, so the slugs are too).
UPDATE "Post" SET "slug" = 'post-' || "id" WHERE "slug" IS NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug");
