CREATE TABLE "reconciliation_audits" (
	"id" text PRIMARY KEY NOT NULL,
	"route_id" text NOT NULL,
	"date_from" text NOT NULL,
	"date_to" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"workflow_id" text NOT NULL,
	"summary" jsonb,
	"report" jsonb,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "reconciliation_audits" ADD CONSTRAINT "reconciliation_audits_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "reconciliation_audits_route" ON "reconciliation_audits" USING btree ("route_id","started_at");
--> statement-breakpoint
CREATE TABLE "route_halts" (
	"id" text PRIMARY KEY NOT NULL,
	"route_id" text NOT NULL,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"halted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	"released_by" text
);
--> statement-breakpoint
ALTER TABLE "route_halts" ADD CONSTRAINT "route_halts_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "route_halts_one_active" ON "route_halts" USING btree ("route_id") WHERE "route_halts"."released_at" is null;
