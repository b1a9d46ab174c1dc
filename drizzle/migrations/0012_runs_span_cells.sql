CREATE TABLE "run_cells" (
	"run_id" uuid NOT NULL,
	"execution_id" uuid NOT NULL,
	"cell_id" text NOT NULL,
	"notebook_version_id" uuid,
	"source_hash" text NOT NULL,
	"execution_count" integer,
	"user_id" uuid,
	"logged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_cells_run_id_execution_id_pk" PRIMARY KEY("run_id","execution_id")
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "kernel_id" uuid;--> statement-breakpoint
ALTER TABLE "run_cells" ADD CONSTRAINT "run_cells_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_cells" ADD CONSTRAINT "run_cells_notebook_version_id_notebook_versions_id_fk" FOREIGN KEY ("notebook_version_id") REFERENCES "public"."notebook_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_cells" ADD CONSTRAINT "run_cells_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_cells_version_idx" ON "run_cells" USING btree ("notebook_version_id");--> statement-breakpoint
CREATE INDEX "runs_kernel_idx" ON "runs" USING btree ("kernel_id");--> statement-breakpoint
-- Runs made before runs spanned cells had exactly one: it becomes their first (and only) logged cell.
INSERT INTO "run_cells" ("run_id", "execution_id", "cell_id", "notebook_version_id", "source_hash", "user_id", "logged_at")
SELECT "id", gen_random_uuid(), "cell_id", "notebook_version_id", "source_hash", "created_by", "started_at" FROM "runs"
WHERE "cell_id" IS NOT NULL AND "source_hash" IS NOT NULL;
