CREATE TABLE "order_poll_cursors" (
	"integration_id" text PRIMARY KEY NOT NULL,
	"handed_over_until" timestamp with time zone NOT NULL,
	"orders_handed_over" integer DEFAULT 0 NOT NULL,
	"last_polled_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "order_poll_cursors" ADD CONSTRAINT "order_poll_cursors_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;
