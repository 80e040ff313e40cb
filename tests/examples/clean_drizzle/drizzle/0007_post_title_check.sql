-- Custom: posts is a parent now (post_tags cascades from it), and drizzle runs every
-- pending file in one transaction, where PRAGMA foreign_keys is ignored. So this file
-- ends drizzle's transaction, turns the keys off outside it, rebuilds in a transaction
-- of its own, turns the keys back on and re-opens the transaction drizzle commits.
UPDATE `posts` SET `title` = 'Untitled' WHERE trim(`title`) = '';--> statement-breakpoint
DROP VIEW `author_post_counts`;--> statement-breakpoint
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
BEGIN;--> statement-breakpoint
CREATE TABLE `__new_posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`author_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`created_at` text DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
	`slug` text NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "posts_status_check" CHECK(status IN ('draft', 'published')),
	CONSTRAINT "posts_title_check" CHECK(trim(title) <> '')
);
--> statement-breakpoint
INSERT INTO `__new_posts`("id", "author_id", "title", "body", "status", "created_at", "slug") SELECT "id", "author_id", "title", "body", "status", "created_at", "slug" FROM `posts`;--> statement-breakpoint
-- Custom: keep the AUTOINCREMENT counter, so ids of deleted posts are never handed out again.
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_posts';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_posts', `seq` FROM `sqlite_sequence` WHERE `name` = 'posts';--> statement-breakpoint
DROP TABLE `posts`;--> statement-breakpoint
ALTER TABLE `__new_posts` RENAME TO `posts`;--> statement-breakpoint
CREATE INDEX `posts_author_idx` ON `posts` (`author_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `posts_slug_unique` ON `posts` (`slug`);--> statement-breakpoint
CREATE TRIGGER `posts_fts_ai` AFTER INSERT ON `posts` BEGIN
	INSERT INTO `posts_fts` (rowid, title, body) VALUES (new.id, new.title, new.body);
END;--> statement-breakpoint
CREATE TRIGGER `posts_fts_ad` AFTER DELETE ON `posts` BEGIN
	INSERT INTO `posts_fts` (`posts_fts`, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;--> statement-breakpoint
CREATE TRIGGER `posts_fts_au` AFTER UPDATE ON `posts` BEGIN
	INSERT INTO `posts_fts` (`posts_fts`, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
	INSERT INTO `posts_fts` (rowid, title, body) VALUES (new.id, new.title, new.body);
END;--> statement-breakpoint
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
BEGIN;--> statement-breakpoint
CREATE VIEW `author_post_counts` AS select "authors"."id" as "author_id", "authors"."name", count("posts"."id") as "post_count" from "authors" left join "posts" on "posts"."author_id" = "authors"."id" group by "authors"."id", "authors"."name";
