-- Invoice numbers are unique among invoices that count (a void invoice may share its
-- number with the one that replaced it). Older duplicates keep their number; a later one
-- gets its id appended.
UPDATE invoices
SET number = number || '-' || id
WHERE status <> 'void'
  AND EXISTS (
      SELECT 1 FROM invoices AS o
      WHERE o.number = invoices.number AND o.status <> 'void' AND o.id < invoices.id
  );
CREATE UNIQUE INDEX invoices_number_key ON invoices(number) WHERE status <> 'void';
CREATE INDEX invoices_open_idx ON invoices(customer_id, issued_on) WHERE status = 'open';
