-- atlas:txmode none

-- Create index "invoices_open" to table: "invoices"
CREATE INDEX IF NOT EXISTS `invoices_open` ON `invoices` (`account_id`, `status`) WHERE status IN ('draft', 'sent');
-- Create "account_totals" view
CREATE VIEW IF NOT EXISTS `account_totals` AS SELECT a.id AS account_id, COALESCE(SUM(i.amount_cents), 0) AS open_cents FROM accounts AS a LEFT JOIN invoices AS i ON i.account_id = a.id AND i.status IN ('draft', 'sent') GROUP BY a.id;
