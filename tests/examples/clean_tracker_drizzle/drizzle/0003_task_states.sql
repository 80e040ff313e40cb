DROP VIEW `open_tasks`;--> statement-breakpoint
DROP TRIGGER `tasks_state_log`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`title` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`labels` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "tasks_state_check" CHECK("__new_tasks"."state" IN ('open', 'in_progress', 'blocked', 'done')),
	CONSTRAINT "tasks_labels_check" CHECK(json_valid("__new_tasks"."labels"))
);
--> statement-breakpoint
INSERT INTO `__new_tasks`("id", "project_id", "title", "state", "labels") SELECT "id", "project_id", "title", "state", "labels" FROM `tasks`;--> statement-breakpoint
-- Custom: keep the AUTOINCREMENT counter, so ids of deleted tasks are never handed out again.
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_tasks';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_tasks', `seq` FROM `sqlite_sequence` WHERE `name` = 'tasks';--> statement-breakpoint
DROP TABLE `tasks`;--> statement-breakpoint
ALTER TABLE `__new_tasks` RENAME TO `tasks`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `tasks_project_idx` ON `tasks` (`project_id`);--> statement-breakpoint
CREATE TRIGGER `tasks_state_log` AFTER UPDATE OF `state` ON `tasks`
WHEN old.`state` IS NOT new.`state`
BEGIN
	INSERT INTO `task_events` (`task_id`, `state`) VALUES (new.`id`, new.`state`);
END;--> statement-breakpoint
CREATE VIEW `open_tasks` AS select `tasks`.`id`, `tasks`.`title`, `projects`.`name` from `tasks` inner join `projects` on `projects`.`id` = `tasks`.`project_id` where `tasks`.`state` in ('open', 'in_progress', 'blocked');
