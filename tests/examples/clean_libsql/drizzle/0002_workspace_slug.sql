ALTER TABLE `workspaces` ADD `slug` text;--> statement-breakpoint
-- Custom: 'ws-<id>' for every workspace (ids are unique, so the slugs are too).
UPDATE `workspaces` SET `slug` = 'ws-' || `id` WHERE `slug` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_slug_unique` ON `workspaces` (`slug`);
