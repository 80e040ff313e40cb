-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_accounts" table
CREATE TABLE `new_accounts` (
  `id` integer NOT NULL,
  `email` text NOT NULL,
  `created_at` integer NULL DEFAULT (unixepoch()),
  `deleted_at` text NULL,
  PRIMARY KEY (`id`)
);
-- Copy rows from old table "accounts" to new temporary table "new_accounts"
INSERT INTO `new_accounts` (`id`, `email`, `created_at`, `deleted_at`)
SELECT `id`, `email`, CAST(strftime('%s', `created_at`) AS integer), `deleted_at` FROM `accounts`;
-- Drop "accounts" table after copying rows
DROP TABLE `accounts`;
-- Rename temporary table "new_accounts" to "accounts"
ALTER TABLE `new_accounts` RENAME TO `accounts`;
-- Create index "accounts_email_live" to table: "accounts"
CREATE UNIQUE INDEX `accounts_email_live` ON `accounts` (`email`) WHERE deleted_at IS NULL;
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
