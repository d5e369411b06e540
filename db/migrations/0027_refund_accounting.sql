ALTER TABLE "order_syncs" ADD COLUMN "booked_sale_total" text;
--> statement-breakpoint
ALTER TABLE "refund_syncs" ADD COLUMN "claimed_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "refund_syncs" ADD COLUMN "accounted_refund_ids" jsonb;
