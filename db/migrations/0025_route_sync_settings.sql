ALTER TABLE "sync_routes" ADD COLUMN "sync_entities" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "sync_routes" ADD COLUMN "orders_from" timestamp with time zone;
