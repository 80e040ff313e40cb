DROP TRIGGER tickets_closed_final;
