-- Add column "code" to table: "departments"
ALTER TABLE `departments` ADD COLUMN `code` text NULL;
UPDATE `departments` SET `code` = 'D' || printf('%03d', `id`) WHERE `code` IS NULL;
-- Create index "departments_code" to table: "departments"
CREATE UNIQUE INDEX `departments_code` ON `departments` (`code`);
