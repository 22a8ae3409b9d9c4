CREATE TYPE "public"."expenditure_method" AS ENUM('equation', 'blended', 'adaptive');--> statement-breakpoint
-- Existing goals get their type's default rate (0.5 % a week cutting, 0.25 % bulking), then the column becomes required.
ALTER TABLE "goals" ADD COLUMN "weekly_rate_percent" numeric(3, 2);--> statement-breakpoint
UPDATE "goals" SET "weekly_rate_percent" = CASE WHEN "goal_type" = 'cutting' THEN 0.5 ELSE 0.25 END;--> statement-breakpoint
ALTER TABLE "goals" ALTER COLUMN "weekly_rate_percent" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "expenditure_kcal" integer;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "expenditure_method" "expenditure_method";--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "projection" jsonb;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_weekly_rate_range" CHECK (("goals"."goal_type" = 'cutting' AND "goals"."weekly_rate_percent" BETWEEN 0.25 AND 1)
    OR ("goals"."goal_type" = 'bulking' AND "goals"."weekly_rate_percent" BETWEEN 0.1 AND 0.5));--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_expenditure_range" CHECK ("goals"."expenditure_kcal" IS NULL OR "goals"."expenditure_kcal" BETWEEN 500 AND 10000);