ALTER TABLE `projects` RENAME COLUMN `owner_id` TO `lead_id`;--> statement-breakpoint
DROP INDEX `projects_owner_idx`;--> statement-breakpoint
CREATE INDEX `projects_lead_idx` ON `projects` (`lead_id`);
