CREATE TABLE "run_latest_metrics" (
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" double precision NOT NULL,
	"step" bigint NOT NULL,
	"timestamp" bigint NOT NULL,
	CONSTRAINT "run_latest_metrics_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "lifecycle_stage" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "tags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lifecycle_stage" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "tags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "registered_models" ADD COLUMN "tags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "run_latest_metrics" ADD CONSTRAINT "run_latest_metrics_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_latest_metrics_key_value_idx" ON "run_latest_metrics" USING btree ("key","value","run_id");--> statement-breakpoint
INSERT INTO "run_latest_metrics" ("run_id", "key", "value", "step", "timestamp") SELECT DISTINCT ON ("run_id", "key") "run_id", "key", "value", "step", "timestamp" FROM "run_metrics" ORDER BY "run_id", "key", "step" DESC, "timestamp" DESC;
