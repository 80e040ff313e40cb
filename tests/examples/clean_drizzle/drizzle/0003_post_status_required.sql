-- Custom: mend the rows the new NOT NULL columns and the CHECK would refuse.
UPDATE `posts` SET `status` = 'draft' WHERE `status` IS NULL OR `status` NOT IN ('draft', 'published');--> statement-breakpoint
UPDATE `posts` SET `slug` = 'post-' || `id` WHERE `slug` IS NULL;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`author_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`created_at` text DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
	`slug` text NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "posts_status_check" CHECK(status IN ('draft', 'published'))
);
--> statement-breakpoint
INSERT INTO `__new_posts`("id", "author_id", "title", "body", "status", "created_at", "slug") SELECT "id", "author_id", "title", "body", "status", "created_at", "slug" FROM `posts`;--> statement-breakpoint
-- Custom: keep the AUTOINCREMENT counter, so ids of deleted posts are never handed out again.
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_posts';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_posts', `seq` FROM `sqlite_sequence` WHERE `name` = 'posts';--> statement-breakpoint
DROP TABLE `posts`;--> statement-breakpoint
ALTER TABLE `__new_posts` RENAME TO `posts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `posts_author_idx` ON `posts` (`author_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `posts_slug_unique` ON `posts` (`slug`);
