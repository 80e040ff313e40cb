CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`);--> statement-breakpoint
CREATE TABLE `task_tags` (
	`task_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`task_id`, `tag_id`),
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `task_tags_tag_idx` ON `task_tags` (`tag_id`);--> statement-breakpoint
-- Custom: the default tags, then every string label the tasks carry.
INSERT OR IGNORE INTO `tags` (`name`) VALUES ('bug'), ('feature'), ('chore');--> statement-breakpoint
INSERT OR IGNORE INTO `tags` (`name`) SELECT DISTINCT j.value FROM `tasks`, json_each(`tasks`.`labels`) AS j WHERE j.type = 'text';--> statement-breakpoint
INSERT OR IGNORE INTO `task_tags` (`task_id`, `tag_id`) SELECT `tasks`.`id`, `tags`.`id` FROM `tasks`, json_each(`tasks`.`labels`) AS j INNER JOIN `tags` ON `tags`.`name` = j.value WHERE j.type = 'text';--> statement-breakpoint
-- Custom: tasks loses labels and its CHECK, a rebuild. task_tags now references tasks
-- with ON DELETE cascade and drizzle's transaction would ignore the pragma: hand the
-- transaction back so the keys are really off while the old table is dropped.
DROP VIEW `open_tasks`;--> statement-breakpoint
DROP TRIGGER `tasks_state_log`;--> statement-breakpoint
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
BEGIN;--> statement-breakpoint
CREATE TABLE `__new_tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`title` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "tasks_state_check" CHECK("__new_tasks"."state" IN ('open', 'in_progress', 'blocked', 'done'))
);
--> statement-breakpoint
INSERT INTO `__new_tasks`("id", "project_id", "title", "state") SELECT "id", "project_id", "title", "state" FROM `tasks`;--> statement-breakpoint
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_tasks';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_tasks', `seq` FROM `sqlite_sequence` WHERE `name` = 'tasks';--> statement-breakpoint
DROP TABLE `tasks`;--> statement-breakpoint
ALTER TABLE `__new_tasks` RENAME TO `tasks`;--> statement-breakpoint
CREATE INDEX `tasks_project_idx` ON `tasks` (`project_id`);--> statement-breakpoint
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
BEGIN;--> statement-breakpoint
CREATE TRIGGER `tasks_state_log` AFTER UPDATE OF `state` ON `tasks`
WHEN old.`state` IS NOT new.`state`
BEGIN
	INSERT INTO `task_events` (`task_id`, `state`) VALUES (new.`id`, new.`state`);
END;--> statement-breakpoint
CREATE VIEW `open_tasks` AS select `tasks`.`id`, `tasks`.`title`, `projects`.`name` from `tasks` inner join `projects` on `projects`.`id` = `tasks`.`project_id` where `tasks`.`state` in ('open', 'in_progress', 'blocked');
