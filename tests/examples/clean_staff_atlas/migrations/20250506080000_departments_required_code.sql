-- code becomes required. Keys are off in
-- Atlas's transaction whatever the URL says: the employees' SET NULL does not fire.
PRAGMA foreign_keys = off;
UPDATE `departments` SET `code` = 'D' || printf('%03d', `id`) WHERE `code` IS NULL;
-- Create "new_departments" table
CREATE TABLE `new_departments` (
  `id` integer NOT NULL PRIMARY KEY,
  `code` text NOT NULL,
  `name` text NOT NULL,
  `cost_centre` text NULL
);
-- Copy rows from old table "departments" to new temporary table "new_departments"
INSERT INTO `new_departments` (`id`, `code`, `name`, `cost_centre`) SELECT `id`, `code`, `name`, `cost_centre` FROM `departments`;
-- Drop "departments" table after copying rows
DROP TABLE `departments`;
-- Rename temporary table "new_departments" to "departments"
ALTER TABLE `new_departments` RENAME TO `departments`;
-- Create index "departments_code" to table: "departments"
CREATE UNIQUE INDEX `departments_code` ON `departments` (`code`);
-- Enable back the foreign keys
PRAGMA foreign_keys = on;
