-- Wakes the intake drainer in whichever process runs it (the worker, when INTAKE_DRAINER=worker) as soon as an
-- order event is queued, so moving the drainer out of the API costs no latency. Only rows that become 'queued':
-- the drainer's own claims and settlements must not wake it. Within one transaction PostgreSQL folds identical
-- notifications into one, so a batch of deliveries written together wakes it once.
CREATE FUNCTION "ledgerbridge_intake_queued"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ledgerbridge_intake', '');
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "webhook_events_queued" AFTER INSERT OR UPDATE OF "outcome" ON "webhook_events"
  FOR EACH ROW WHEN (NEW."outcome" = 'queued') EXECUTE FUNCTION "ledgerbridge_intake_queued"();
