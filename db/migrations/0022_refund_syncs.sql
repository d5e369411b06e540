CREATE TABLE "refund_syncs" (
	"route_id" text NOT NULL,
	"order_id" text NOT NULL,
	"refund_id" text NOT NULL,
	"order_name" text,
	"workflow_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"waiting_for" text,
	"waiting_on" text,
	"last_error_code" text,
	"last_error_message" text,
	"refund_total" text,
	"ledger_document_id" text,
	"ledger_doc_number" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "refund_syncs_route_id_order_id_refund_id_pk" PRIMARY KEY("route_id","order_id","refund_id")
);
--> statement-breakpoint
ALTER TABLE "refund_syncs" ADD CONSTRAINT "refund_syncs_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;
