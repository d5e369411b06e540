ALTER TABLE "sync_routes" ADD COLUMN "ledger_options" jsonb DEFAULT '{}'::jsonb NOT NULL;
