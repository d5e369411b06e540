CREATE TABLE "payout_syncs" (
	"route_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"issued_at" text,
	"net" text,
	"currency" text,
	"waiting_for" text,
	"waiting_on" text,
	"last_error_code" text,
	"last_error_message" text,
	"cleared" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ledger_document_id" text,
	"ledger_doc_number" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "payout_syncs_route_id_payout_id_pk" PRIMARY KEY("route_id","payout_id")
);
--> statement-breakpoint
ALTER TABLE "payout_syncs" ADD CONSTRAINT "payout_syncs_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;
