-- Custom: a monitor without a live workspace goes, then the key is enforced for new rows.
DELETE FROM `monitors` WHERE `workspace_id` IS NULL OR `workspace_id` NOT IN (SELECT `id` FROM `workspaces`);--> statement-breakpoint
ALTER TABLE `monitors` ALTER COLUMN "workspace_id" TO "workspace_id" integer NOT NULL REFERENCES workspaces(id) ON DELETE cascade;
