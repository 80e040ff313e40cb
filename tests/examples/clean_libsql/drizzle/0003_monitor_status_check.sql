-- Custom: mend the rows the new NOT NULL and CHECK would refuse; libSQL never reads them.
UPDATE `monitors` SET `status` = 'active' WHERE `status` IS NULL OR `status` NOT IN ('active', 'paused');--> statement-breakpoint
ALTER TABLE `monitors` ALTER COLUMN "status" TO "status" text DEFAULT 'active' NOT NULL CHECK ("status" IN ('active', 'paused'));
