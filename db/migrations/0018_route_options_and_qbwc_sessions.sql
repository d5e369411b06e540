ALTER TABLE "sync_routes" ADD COLUMN "ledger_options" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
CREATE TABLE "qbwc_sessions" (
	"ticket" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"qbxml_major" integer,
	"answered" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"last_work_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "qbwc_sessions" ADD CONSTRAINT "qbwc_sessions_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qbwc_sessions_integration" ON "qbwc_sessions" USING btree ("integration_id");
