CREATE TABLE "cell_executions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notebook_id" uuid NOT NULL,
	"cell_id" text NOT NULL,
	"requested_by" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"execution_count" integer,
	"worker_id" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
ALTER TABLE "cell_executions" ADD CONSTRAINT "cell_executions_notebook_id_notebooks_id_fk" FOREIGN KEY ("notebook_id") REFERENCES "public"."notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_executions" ADD CONSTRAINT "cell_executions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cell_executions_notebook_idx" ON "cell_executions" USING btree ("notebook_id","queued_at");