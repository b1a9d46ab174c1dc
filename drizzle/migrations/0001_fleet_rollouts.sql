CREATE TABLE "model_aliases" (
	"model_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"version_id" uuid NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"feature" text NOT NULL,
	"reason" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"reports" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"retrain_run_id" uuid,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "prediction_stats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"latency_p50_ms" double precision NOT NULL,
	"latency_p99_ms" double precision NOT NULL,
	"output_mean" double precision,
	"output_sample" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"feedback_count" integer DEFAULT 0 NOT NULL,
	"feedback_score" double precision,
	"feedback_kind" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "group" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "alias" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "previous_version_id" uuid;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "stage" text DEFAULT 'full' NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "canary_percent" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "canary_device_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "halt_threshold" double precision DEFAULT 0.2 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "auto_advance" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "halt_reason" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "variant_version_id" uuid;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "variant_percent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "group" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "failed_version_id" uuid;--> statement-breakpoint
ALTER TABLE "drift_reports" ADD COLUMN "predictions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "enrollment_tokens" ADD COLUMN "group" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_alerts" ADD CONSTRAINT "drift_alerts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_alerts" ADD CONSTRAINT "drift_alerts_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_alerts" ADD CONSTRAINT "drift_alerts_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_stats" ADD CONSTRAINT "prediction_stats_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_stats" ADD CONSTRAINT "prediction_stats_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_aliases_model_alias_idx" ON "model_aliases" USING btree ("model_id","alias");--> statement-breakpoint
CREATE INDEX "drift_alerts_workspace_idx" ON "drift_alerts" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "drift_alerts_open_idx" ON "drift_alerts" USING btree ("device_id","model_version_id","feature") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "prediction_stats_device_key_idx" ON "prediction_stats" USING btree ("device_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "prediction_stats_version_idx" ON "prediction_stats" USING btree ("model_version_id","window_end");--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_previous_version_id_model_versions_id_fk" FOREIGN KEY ("previous_version_id") REFERENCES "public"."model_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_variant_version_id_model_versions_id_fk" FOREIGN KEY ("variant_version_id") REFERENCES "public"."model_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_failed_version_id_model_versions_id_fk" FOREIGN KEY ("failed_version_id") REFERENCES "public"."model_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployments_group_idx" ON "deployments" USING btree ("workspace_id","group","created_at");--> statement-breakpoint
CREATE INDEX "devices_group_idx" ON "devices" USING btree ("workspace_id","group");