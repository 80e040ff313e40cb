ALTER TABLE "Team" ADD COLUMN "slug" TEXT;
UPDATE "Team" SET "slug" = lower(replace("name", ' ', '-'));
CREATE UNIQUE INDEX "Team_slug_key" ON "Team"("slug");
