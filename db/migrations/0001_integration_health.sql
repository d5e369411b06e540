CREATE TABLE "integration_check_results" (
	"integration_id" text NOT NULL,
	"check" text NOT NULL,
	"ok" boolean NOT NULL,
	"message" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "integration_check_results_integration_id_check_pk" PRIMARY KEY("integration_id","check")
);
--> statement-breakpoint
CREATE TABLE "integration_notifications" (
	"key" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"kind" text NOT NULL,
	"recipients" jsonb NOT NULL,
	"subject" text NOT NULL,
	"message_id" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "integration_check_results" ADD CONSTRAINT "integration_check_results_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_notifications" ADD CONSTRAINT "integration_notifications_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;