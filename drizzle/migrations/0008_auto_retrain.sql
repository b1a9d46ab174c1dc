ALTER TABLE "registered_models" ADD COLUMN "auto_retrain_minutes" integer;--> statement-breakpoint
ALTER TABLE "registered_models" ADD COLUMN "auto_retrain_data_ref" text;--> statement-breakpoint
ALTER TABLE "registered_models" ADD COLUMN "auto_retrain_by" uuid;--> statement-breakpoint
ALTER TABLE "drift_alerts" ADD COLUMN "retrain_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registered_models" ADD CONSTRAINT "registered_models_auto_retrain_by_users_id_fk" FOREIGN KEY ("auto_retrain_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;