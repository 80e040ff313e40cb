-- Custom: move the posts of duplicate accounts to the oldest account with the same email,
-- then delete the duplicates, so the unique index below finds none.
UPDATE `posts` SET `author_id` = (
	SELECT MIN(`keep`.`id`)
	FROM `authors` AS `keep`
	JOIN `authors` AS `dup` ON `dup`.`email` = `keep`.`email`
	WHERE `dup`.`id` = `posts`.`author_id`
)
WHERE `author_id` IN (
	SELECT `id` FROM `authors` WHERE `id` NOT IN (SELECT MIN(`id`) FROM `authors` GROUP BY `email`)
);--> statement-breakpoint
DELETE FROM `authors` WHERE `id` NOT IN (SELECT MIN(`id`) FROM `authors` GROUP BY `email`);--> statement-breakpoint
CREATE UNIQUE INDEX `authors_email_unique` ON `authors` (`email`);
