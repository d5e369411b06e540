ALTER TABLE "webhook_events" ADD COLUMN "shop" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "order_id" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "order_reference" jsonb;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "not_before" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "last_error" text;--> statement-breakpoint
CREATE INDEX "webhook_events_intake" ON "webhook_events" USING btree ("received_at") WHERE "webhook_events"."outcome" in ('queued', 'processing');
