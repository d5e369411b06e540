CREATE TABLE "ledger_request_slots" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_key" text NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"lease_until" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE INDEX "ledger_request_slots_company_started" ON "ledger_request_slots" USING btree ("company_key","started_at");
--> statement-breakpoint
CREATE TABLE "ledger_request_gates" (
	"company_key" text PRIMARY KEY NOT NULL,
	"paused_until" timestamp (3) with time zone
);
