ALTER TABLE `monitors` ADD `regions` text DEFAULT '[]' NOT NULL CHECK (json_valid(`regions`));--> statement-breakpoint
CREATE INDEX `monitors_active_idx` ON `monitors` (`workspace_id`) WHERE "monitors"."status" = 'active';--> statement-breakpoint
CREATE VIEW `workspace_monitor_counts` AS select "workspaces"."id" as "workspace_id", "workspaces"."slug", count("monitors"."id") as "monitor_count" from "workspaces" left join "monitors" on "monitors"."workspace_id" = "workspaces"."id" group by "workspaces"."id", "workspaces"."slug";
