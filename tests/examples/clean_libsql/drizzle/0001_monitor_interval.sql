ALTER TABLE `monitors` ADD `interval` integer;--> statement-breakpoint
-- Custom: libSQL's ALTER COLUMN checks no existing row, so give every monitor the default first.
UPDATE `monitors` SET `interval` = 60 WHERE `interval` IS NULL;--> statement-breakpoint
ALTER TABLE `monitors` ALTER COLUMN "interval" TO "interval" integer DEFAULT 60 NOT NULL;
