CREATE TABLE "qbwc_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"qbxml" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"ticket" text,
	"response" text,
	"hresult" text,
	"error_message" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"answered_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "qbwc_contacts" (
	"integration_id" text PRIMARY KEY NOT NULL,
	"user_name" text NOT NULL,
	"last_authenticated_at" timestamp (3) with time zone,
	"last_auth_failure_at" timestamp (3) with time zone,
	"last_connection_error_at" timestamp (3) with time zone,
	"last_connection_error_hresult" text,
	"last_connection_error_message" text,
	"last_company_opened_at" timestamp (3) with time zone,
	"company_file" text
);
--> statement-breakpoint
ALTER TABLE "qbwc_requests" ADD CONSTRAINT "qbwc_requests_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qbwc_contacts" ADD CONSTRAINT "qbwc_contacts_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "qbwc_contacts_user_name" ON "qbwc_contacts" USING btree ("user_name");--> statement-breakpoint
CREATE INDEX "qbwc_requests_queue" ON "qbwc_requests" USING btree ("integration_id","created_at") WHERE "qbwc_requests"."state" in ('pending', 'sent');
