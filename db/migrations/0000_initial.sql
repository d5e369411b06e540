CREATE TABLE "integration_status_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"cause" text NOT NULL,
	"check" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"number" integer NOT NULL,
	"display_name" text NOT NULL,
	"account" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"credentials" text,
	"credentials_version" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'reconnect_required' NOT NULL,
	"status_reason" text,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_check_at" timestamp with time zone,
	"notify_emails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrations_platform_number" UNIQUE("platform","number")
);
--> statement-breakpoint
CREATE TABLE "oauth_states" (
	"state" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "order_syncs" (
	"route_id" text NOT NULL,
	"order_id" text NOT NULL,
	"order_name" text,
	"workflow_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"waiting_for" text,
	"waiting_on" text,
	"last_error_code" text,
	"last_error_message" text,
	"ledger_document_id" text,
	"ledger_doc_number" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "order_syncs_route_id_order_id_pk" PRIMARY KEY("route_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "sku_mappings" (
	"route_id" text NOT NULL,
	"sku" text NOT NULL,
	"ledger_item_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sku_mappings_route_id_sku_pk" PRIMARY KEY("route_id","sku")
);
--> statement-breakpoint
CREATE TABLE "sync_routes" (
	"id" text PRIMARY KEY NOT NULL,
	"source_integration_id" text NOT NULL,
	"target_integration_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tax_mappings" (
	"route_id" text NOT NULL,
	"tax_key" text NOT NULL,
	"ledger_tax_code_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_mappings_route_id_tax_key_pk" PRIMARY KEY("route_id","tax_key")
);
--> statement-breakpoint
CREATE TABLE "truncated_fields" (
	"route_id" text NOT NULL,
	"order_id" text NOT NULL,
	"field" text NOT NULL,
	"full_text" text NOT NULL,
	"limit" integer NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "truncated_fields_route_id_order_id_field_pk" PRIMARY KEY("route_id","order_id","field")
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"integration_id" text,
	"topic" text NOT NULL,
	"webhook_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "integration_status_changes" ADD CONSTRAINT "integration_status_changes_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_syncs" ADD CONSTRAINT "order_syncs_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sku_mappings" ADD CONSTRAINT "sku_mappings_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_routes" ADD CONSTRAINT "sync_routes_source_integration_id_integrations_id_fk" FOREIGN KEY ("source_integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_routes" ADD CONSTRAINT "sync_routes_target_integration_id_integrations_id_fk" FOREIGN KEY ("target_integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_mappings" ADD CONSTRAINT "tax_mappings_route_id_sync_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."sync_routes"("id") ON DELETE cascade ON UPDATE no action;