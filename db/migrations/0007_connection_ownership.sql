CREATE TABLE "connect_link_uses" (
	"nonce" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_account_switches" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"account" jsonb NOT NULL,
	"credentials" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "connect_link_uses" ADD CONSTRAINT "connect_link_uses_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_account_switches" ADD CONSTRAINT "pending_account_switches_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;
