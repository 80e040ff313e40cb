ALTER TABLE `posts` ADD `slug` text;--> statement-breakpoint
-- Custom: every existing post gets 'post-<id>' (ids are unique, so the slugs are too).
UPDATE `posts` SET `slug` = 'post-' || `id` WHERE `slug` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `posts_slug_unique` ON `posts` (`slug`);
