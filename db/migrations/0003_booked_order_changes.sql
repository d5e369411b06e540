ALTER TABLE "order_syncs" ADD COLUMN "booked_order_total" text;--> statement-breakpoint
ALTER TABLE "order_syncs" ADD COLUMN "changed_after_booking" jsonb;--> statement-breakpoint
ALTER TABLE "order_syncs" ADD COLUMN "shop_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "order_syncs" ADD COLUMN "shop_update_pending" jsonb;