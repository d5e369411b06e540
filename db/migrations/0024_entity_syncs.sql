CREATE TABLE "entity_syncs" (
	"route_id" text NOT NULL,
	"entity" text NOT NULL,
	"source_id" text NOT NULL,
	"source_name" text,
	"workflow_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"waiting_for" text,
	"waiting_on" text,
	"last_error_code" text,
	"last_error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "entity_syncs_route_id_entity_source_id_pk" PRIMARY KEY("route_id","entity","source_id")
);
--> statement-breakpoint
ALTER TABLE "entity_syncs" ADD CONSTRAINT "entity_syncs_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "entity_ledger_links" (
	"route_id" text NOT NULL,
	"kind" text NOT NULL,
	"source_id" text NOT NULL,
	"ledger_id" text NOT NULL,
	"ledger_name" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entity_ledger_links_route_id_kind_source_id_pk" PRIMARY KEY("route_id","kind","source_id")
);
--> statement-breakpoint
ALTER TABLE "entity_ledger_links" ADD CONSTRAINT "entity_ledger_links_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;
