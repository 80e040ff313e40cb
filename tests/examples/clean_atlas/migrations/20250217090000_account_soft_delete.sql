-- Add column "deleted_at" to table: "accounts"
ALTER TABLE `accounts` ADD COLUMN `deleted_at` text NULL;
-- Drop index "accounts_email" from table: "accounts"
DROP INDEX `accounts_email`;
-- Create index "accounts_email_live" to table: "accounts"
CREATE UNIQUE INDEX `accounts_email_live` ON `accounts` (`email`) WHERE deleted_at IS NULL;
