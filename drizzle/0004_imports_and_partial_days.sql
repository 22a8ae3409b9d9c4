CREATE TYPE "public"."import_conflict" AS ENUM('keep', 'replace');--> statement-breakpoint
CREATE TYPE "public"."import_format" AS ENUM('myfitnesspal', 'cronometer', 'loseit', 'apple_health', 'weights_csv');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "import_status" DEFAULT 'running' NOT NULL,
	"format" "import_format",
	"dry_run" boolean NOT NULL,
	"on_conflict" "import_conflict" NOT NULL,
	"size_bytes" bigint,
	"progress" numeric(4, 3) DEFAULT 0 NOT NULL,
	"error" jsonb,
	"report" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "imports_progress_range" CHECK ("imports"."progress" BETWEEN 0 AND 1)
);
--> statement-breakpoint
ALTER TABLE "daily_intake" ADD COLUMN "complete" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_intake" ADD COLUMN "source" "weight_source" DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_user_created_idx" ON "imports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "imports_status_heartbeat_idx" ON "imports" USING btree ("status","heartbeat_at");