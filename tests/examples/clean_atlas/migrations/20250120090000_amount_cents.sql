-- Rename a column from "amount" to "amount_cents"
ALTER TABLE `invoices` RENAME COLUMN `amount` TO `amount_cents`;
-- Drop index "invoices_account_amount" from table: "invoices"
DROP INDEX `invoices_account_amount`;
-- Create index "invoices_account_amount_cents" to table: "invoices"
CREATE INDEX `invoices_account_amount_cents` ON `invoices` (`account_id`, `amount_cents`);
