CREATE TABLE "squarespace_webhook_subscriptions" (
	"subscription_id" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"website_id" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "squarespace_webhook_subscriptions" ADD CONSTRAINT "squarespace_webhook_subscriptions_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "squarespace_webhook_subscriptions_integration_idx" ON "squarespace_webhook_subscriptions" USING btree ("integration_id");
