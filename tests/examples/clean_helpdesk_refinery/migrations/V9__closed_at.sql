UPDATE tickets SET closed_at = opened_at WHERE status = 'closed' AND closed_at IS NULL;

CREATE TRIGGER tickets_stamp_closed AFTER UPDATE OF status ON tickets
WHEN new.status = 'closed' AND new.closed_at IS NULL
BEGIN
    UPDATE tickets SET closed_at = CURRENT_TIMESTAMP WHERE id = new.id;
END;

CREATE INDEX tickets_open_queue ON tickets(priority, opened_at) WHERE status <> 'closed';
