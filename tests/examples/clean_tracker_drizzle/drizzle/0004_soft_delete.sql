ALTER TABLE `users` ADD `deleted_at` integer;--> statement-breakpoint
DROP INDEX `users_email_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_live_unique` ON `users` (`email`) WHERE "users"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE `projects` ADD `deleted_at` integer;--> statement-breakpoint
-- Custom: archive all but the oldest of projects sharing a lead and a name, so the
-- partial unique index below builds on any data.
UPDATE `projects` SET `deleted_at` = 0 WHERE `id` NOT IN (SELECT min(`id`) FROM `projects` GROUP BY `lead_id`, `name`);--> statement-breakpoint
CREATE UNIQUE INDEX `projects_lead_name_live_unique` ON `projects` (`lead_id`,`name`) WHERE "projects"."deleted_at" is null;
