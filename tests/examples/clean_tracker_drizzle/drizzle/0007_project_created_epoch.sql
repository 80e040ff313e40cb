-- Custom: projects is a parent (tasks cascade from it), and drizzle's migrator runs every
-- file in one transaction where PRAGMA foreign_keys is ignored. Hand the transaction back,
-- rebuild with the keys off, then open a new one for drizzle to commit.
DROP VIEW `open_tasks`;--> statement-breakpoint
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
BEGIN;--> statement-breakpoint
CREATE TABLE `__new_projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lead_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()),
	`deleted_at` integer,
	FOREIGN KEY (`lead_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Custom: text timestamps become Unix seconds; a project without one keeps NULL.
INSERT INTO `__new_projects`("id", "lead_id", "name", "created_at", "deleted_at") SELECT "id", "lead_id", "name", CASE WHEN "created_at" IS NULL THEN NULL ELSE CAST(strftime('%s', "created_at") AS INTEGER) END, "deleted_at" FROM `projects`;--> statement-breakpoint
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_projects';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_projects', `seq` FROM `sqlite_sequence` WHERE `name` = 'projects';--> statement-breakpoint
DROP TABLE `projects`;--> statement-breakpoint
ALTER TABLE `__new_projects` RENAME TO `projects`;--> statement-breakpoint
CREATE INDEX `projects_lead_idx` ON `projects` (`lead_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `projects_lead_name_live_unique` ON `projects` (`lead_id`,`name`) WHERE "projects"."deleted_at" is null;--> statement-breakpoint
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
BEGIN;--> statement-breakpoint
CREATE VIEW `open_tasks` AS select `tasks`.`id`, `tasks`.`title`, `projects`.`name` from `tasks` inner join `projects` on `projects`.`id` = `tasks`.`project_id` where `tasks`.`state` in ('open', 'in_progress', 'blocked') and `projects`.`deleted_at` is null;
