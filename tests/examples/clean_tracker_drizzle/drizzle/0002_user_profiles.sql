CREATE TABLE `user_profiles` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`bio` text,
	`avatar_url` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Custom: every user keeps the profile fields it had.
INSERT INTO `user_profiles` (`user_id`, `bio`, `avatar_url`) SELECT `id`, `bio`, `avatar_url` FROM `users`;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `bio`;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `avatar_url`;
