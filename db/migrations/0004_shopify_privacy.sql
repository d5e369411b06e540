ALTER TABLE "sync_routes" ADD COLUMN "fallback_customer_name" text;--> statement-breakpoint
ALTER TABLE "order_syncs" ADD COLUMN "customer_notice" text;--> statement-breakpoint
CREATE TABLE "privacy_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"topic" text NOT NULL,
	"shop" text NOT NULL,
	"customer_id" text,
	"order_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"result" jsonb,
	CONSTRAINT "privacy_requests_event_id_unique" UNIQUE("event_id")
);
