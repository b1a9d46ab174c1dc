ALTER TABLE "api_tokens" ADD COLUMN "kernel_id" uuid;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "execution_ids" uuid[];--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "training_id" uuid;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "drift_alert_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "job_token_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_job_token_id_api_tokens_id_fk" FOREIGN KEY ("job_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_tokens_notebook_idx" ON "api_tokens" USING btree ("notebook_id");--> statement-breakpoint
CREATE INDEX "api_tokens_training_idx" ON "api_tokens" USING btree ("training_id");--> statement-breakpoint
CREATE INDEX "api_tokens_execution_ids_idx" ON "api_tokens" USING gin ("execution_ids");--> statement-breakpoint
-- Job tokens minted before they had a scope carried their user's authority: none may outlive this upgrade.
UPDATE "api_tokens" SET "revoked_at" = now() WHERE "kind" = 'job' AND "revoked_at" IS NULL;