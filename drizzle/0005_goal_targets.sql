CREATE TYPE "public"."target_reason" AS ENUM('start', 'check_in_changed', 'check_in_capped', 'check_in_kept', 'check_in_completed', 'rate_change', 'history_start');--> statement-breakpoint
CREATE TABLE "goal_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"goal_id" uuid NOT NULL,
	"progress_entry_id" uuid,
	"effective_on" date NOT NULL,
	"calories" integer NOT NULL,
	"expenditure_kcal" integer,
	"expenditure_method" "expenditure_method",
	"previous_calories" integer,
	"previous_expenditure_kcal" integer,
	"raw_calories" integer,
	"weekly_rate_percent" numeric(3, 2) NOT NULL,
	"reason" "target_reason" NOT NULL,
	"plan_weight_kg" numeric(5, 2),
	"plan_body_fat_percentage" numeric(4, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_targets_calories_range" CHECK ("goal_targets"."calories" BETWEEN 1200 AND 5000),
	CONSTRAINT "goal_targets_previous_calories_range" CHECK ("goal_targets"."previous_calories" IS NULL OR "goal_targets"."previous_calories" BETWEEN 1200 AND 5000),
	CONSTRAINT "goal_targets_raw_calories_range" CHECK ("goal_targets"."raw_calories" IS NULL OR "goal_targets"."raw_calories" BETWEEN 1200 AND 5000),
	CONSTRAINT "goal_targets_expenditure_range" CHECK ("goal_targets"."expenditure_kcal" IS NULL OR "goal_targets"."expenditure_kcal" BETWEEN 500 AND 10000),
	CONSTRAINT "goal_targets_previous_expenditure_range" CHECK ("goal_targets"."previous_expenditure_kcal" IS NULL OR "goal_targets"."previous_expenditure_kcal" BETWEEN 500 AND 10000),
	CONSTRAINT "goal_targets_weekly_rate_range" CHECK ("goal_targets"."weekly_rate_percent" BETWEEN 0.1 AND 1),
	CONSTRAINT "goal_targets_plan_weight_range" CHECK ("plan_weight_kg" IS NULL OR "plan_weight_kg" BETWEEN 30 AND 300),
	CONSTRAINT "goal_targets_plan_body_fat_range" CHECK ("plan_body_fat_percentage" IS NULL OR "plan_body_fat_percentage" BETWEEN 3 AND 50)
);
--> statement-breakpoint
ALTER TABLE "goal_targets" ADD CONSTRAINT "goal_targets_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_targets" ADD CONSTRAINT "goal_targets_progress_entry_id_progress_entries_id_fk" FOREIGN KEY ("progress_entry_id") REFERENCES "public"."progress_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "goal_targets_goal_idx" ON "goal_targets" USING btree ("goal_id","created_at");--> statement-breakpoint
CREATE INDEX "goal_targets_progress_entry_idx" ON "goal_targets" USING btree ("progress_entry_id");--> statement-breakpoint
-- Goals older than the history get one row: their current target, as the history's start, from
-- their latest point (the check-in the diet plan was last computed from, else the initial
-- measurement), so a later check-in can be undone back to it.
INSERT INTO "goal_targets" ("goal_id", "effective_on", "calories", "expenditure_kcal", "expenditure_method", "weekly_rate_percent", "reason", "plan_weight_kg", "plan_body_fat_percentage", "created_at")
SELECT g."id", (g."updated_at" AT TIME ZONE 'UTC')::date, g."target_calories", g."expenditure_kcal", g."expenditure_method", g."weekly_rate_percent", 'history_start',
	COALESCE(p."weight_kg", g."initial_weight_kg"), COALESCE(p."body_fat_percentage", g."initial_body_fat_percentage"), g."updated_at"
FROM "goals" g
LEFT JOIN LATERAL (
	SELECT e."weight_kg", e."body_fat_percentage" FROM "progress_entries" e WHERE e."goal_id" = g."id" ORDER BY e."measured_at" DESC, e."id" DESC LIMIT 1
) p ON true;