CREATE TYPE "public"."activity_level" AS ENUM('sedentary', 'lightly_active', 'moderately_active', 'very_active', 'extremely_active');--> statement-breakpoint
CREATE TYPE "public"."calculation_method" AS ENUM('navy', '3_site', '7_site');--> statement-breakpoint
CREATE TYPE "public"."goal_status" AS ENUM('active', 'completed', 'abandoned');--> statement-breakpoint
CREATE TYPE "public"."goal_type" AS ENUM('cutting', 'bulking');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TABLE "diet_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"goal_id" uuid NOT NULL,
	"daily_calorie_target" integer NOT NULL,
	"protein_grams" integer NOT NULL,
	"carbs_grams" integer NOT NULL,
	"fat_grams" integer NOT NULL,
	"meal_timing" jsonb,
	"guidelines" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "diet_plans_calories_range" CHECK ("diet_plans"."daily_calorie_target" BETWEEN 1200 AND 5000),
	CONSTRAINT "diet_plans_protein_range" CHECK ("diet_plans"."protein_grams" BETWEEN 50 AND 400),
	CONSTRAINT "diet_plans_carbs_range" CHECK ("diet_plans"."carbs_grams" BETWEEN 50 AND 800),
	CONSTRAINT "diet_plans_fat_range" CHECK ("diet_plans"."fat_grams" BETWEEN 20 AND 200)
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"initial_measurement_id" uuid NOT NULL,
	"goal_type" "goal_type" NOT NULL,
	"status" "goal_status" DEFAULT 'active' NOT NULL,
	"initial_body_fat_percentage" numeric(4, 2) NOT NULL,
	"initial_weight_kg" numeric(5, 2) NOT NULL,
	"initial_measured_at" timestamp with time zone NOT NULL,
	"calculation_method" "calculation_method" NOT NULL,
	"target_body_fat_percentage" numeric(4, 2),
	"ceiling_body_fat_percentage" numeric(4, 2),
	"current_body_fat_percentage" numeric(4, 2) NOT NULL,
	"target_calories" integer NOT NULL,
	"estimated_weeks_to_goal" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_target_matches_type" CHECK (("goals"."goal_type" = 'cutting' AND "goals"."target_body_fat_percentage" IS NOT NULL AND "goals"."ceiling_body_fat_percentage" IS NULL)
    OR ("goals"."goal_type" = 'bulking' AND "goals"."ceiling_body_fat_percentage" IS NOT NULL AND "goals"."target_body_fat_percentage" IS NULL)),
	CONSTRAINT "goals_initial_body_fat_range" CHECK ("goals"."initial_body_fat_percentage" BETWEEN 3 AND 50),
	CONSTRAINT "goals_current_body_fat_range" CHECK ("goals"."current_body_fat_percentage" BETWEEN 3 AND 50),
	CONSTRAINT "goals_initial_weight_range" CHECK ("goals"."initial_weight_kg" BETWEEN 30 AND 300),
	CONSTRAINT "goals_target_range" CHECK ("target_body_fat_percentage" IS NULL OR "target_body_fat_percentage" BETWEEN 3 AND 50),
	CONSTRAINT "goals_ceiling_range" CHECK ("ceiling_body_fat_percentage" IS NULL OR "ceiling_body_fat_percentage" BETWEEN 3 AND 50),
	CONSTRAINT "goals_calories_range" CHECK ("goals"."target_calories" BETWEEN 1200 AND 5000),
	CONSTRAINT "goals_weeks_positive" CHECK ("goals"."estimated_weeks_to_goal" IS NULL OR "goals"."estimated_weeks_to_goal" > 0),
	CONSTRAINT "goals_completed_at_matches_status" CHECK (("goals"."status" = 'completed') = ("goals"."completed_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "body_measurements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"weight_kg" numeric(5, 2) NOT NULL,
	"calculation_method" "calculation_method" NOT NULL,
	"waist_cm" numeric(5, 2),
	"neck_cm" numeric(5, 2),
	"hip_cm" numeric(5, 2),
	"chest_mm" numeric(5, 2),
	"abdomen_mm" numeric(5, 2),
	"thigh_mm" numeric(5, 2),
	"tricep_mm" numeric(5, 2),
	"suprailiac_mm" numeric(5, 2),
	"midaxillary_mm" numeric(5, 2),
	"subscapular_mm" numeric(5, 2),
	"calculated_body_fat_percentage" numeric(4, 2) NOT NULL,
	"notes" text,
	"measured_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "body_measurements_weight_range" CHECK ("body_measurements"."weight_kg" BETWEEN 30 AND 300),
	CONSTRAINT "body_measurements_body_fat_range" CHECK ("body_measurements"."calculated_body_fat_percentage" BETWEEN 3 AND 50),
	CONSTRAINT "body_measurements_waist_range" CHECK ("waist_cm" IS NULL OR "waist_cm" BETWEEN 10 AND 200),
	CONSTRAINT "body_measurements_neck_range" CHECK ("neck_cm" IS NULL OR "neck_cm" BETWEEN 10 AND 200),
	CONSTRAINT "body_measurements_hip_range" CHECK ("hip_cm" IS NULL OR "hip_cm" BETWEEN 10 AND 200),
	CONSTRAINT "body_measurements_chest_range" CHECK ("chest_mm" IS NULL OR "chest_mm" BETWEEN 1 AND 70),
	CONSTRAINT "body_measurements_abdomen_range" CHECK ("abdomen_mm" IS NULL OR "abdomen_mm" BETWEEN 1 AND 70),
	CONSTRAINT "body_measurements_thigh_range" CHECK ("thigh_mm" IS NULL OR "thigh_mm" BETWEEN 1 AND 70),
	CONSTRAINT "body_measurements_tricep_range" CHECK ("tricep_mm" IS NULL OR "tricep_mm" BETWEEN 1 AND 70),
	CONSTRAINT "body_measurements_suprailiac_range" CHECK ("suprailiac_mm" IS NULL OR "suprailiac_mm" BETWEEN 1 AND 70),
	CONSTRAINT "body_measurements_midaxillary_range" CHECK ("midaxillary_mm" IS NULL OR "midaxillary_mm" BETWEEN 1 AND 70),
	CONSTRAINT "body_measurements_subscapular_range" CHECK ("subscapular_mm" IS NULL OR "subscapular_mm" BETWEEN 1 AND 70)
);
--> statement-breakpoint
CREATE TABLE "progress_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"goal_id" uuid NOT NULL,
	"measurement_id" uuid NOT NULL,
	"week_number" integer NOT NULL,
	"body_fat_percentage" numeric(4, 2) NOT NULL,
	"weight_kg" numeric(5, 2) NOT NULL,
	"body_fat_change" numeric(5, 2) NOT NULL,
	"weight_change_kg" numeric(5, 2) NOT NULL,
	"is_on_track" boolean NOT NULL,
	"ceiling_warning" text,
	"rate_warning" text,
	"notes" text,
	"measured_at" timestamp with time zone NOT NULL,
	"logged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "progress_entries_week_nonnegative" CHECK ("progress_entries"."week_number" >= 0),
	CONSTRAINT "progress_entries_body_fat_range" CHECK ("progress_entries"."body_fat_percentage" BETWEEN 3 AND 50),
	CONSTRAINT "progress_entries_weight_range" CHECK ("progress_entries"."weight_kg" BETWEEN 30 AND 300)
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"goal_id" uuid NOT NULL,
	"workout_frequency" integer NOT NULL,
	"primary_focus" varchar(100) NOT NULL,
	"plan_details" jsonb NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_plans_frequency_range" CHECK ("training_plans"."workout_frequency" BETWEEN 1 AND 7)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255) NOT NULL,
	"password_hash" text NOT NULL,
	"full_name" varchar(255) NOT NULL,
	"date_of_birth" date NOT NULL,
	"gender" "sex" NOT NULL,
	"height_cm" numeric(5, 2) NOT NULL,
	"preferred_calculation_method" "calculation_method" NOT NULL,
	"activity_level" "activity_level" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email")),
	CONSTRAINT "users_height_range" CHECK ("users"."height_cm" BETWEEN 120 AND 250)
);
--> statement-breakpoint
ALTER TABLE "diet_plans" ADD CONSTRAINT "diet_plans_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_initial_measurement_id_body_measurements_id_fk" FOREIGN KEY ("initial_measurement_id") REFERENCES "public"."body_measurements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "body_measurements" ADD CONSTRAINT "body_measurements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_entries" ADD CONSTRAINT "progress_entries_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_entries" ADD CONSTRAINT "progress_entries_measurement_id_body_measurements_id_fk" FOREIGN KEY ("measurement_id") REFERENCES "public"."body_measurements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_plans" ADD CONSTRAINT "training_plans_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "diet_plans_goal_key" ON "diet_plans" USING btree ("goal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "goals_one_active_per_user" ON "goals" USING btree ("user_id") WHERE "goals"."status" = 'active';--> statement-breakpoint
CREATE INDEX "goals_user_started_idx" ON "goals" USING btree ("user_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "goals_initial_measurement_idx" ON "goals" USING btree ("initial_measurement_id");--> statement-breakpoint
CREATE INDEX "body_measurements_user_measured_idx" ON "body_measurements" USING btree ("user_id","measured_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "progress_entries_measurement_key" ON "progress_entries" USING btree ("measurement_id");--> statement-breakpoint
CREATE INDEX "progress_entries_goal_measured_idx" ON "progress_entries" USING btree ("goal_id","measured_at");--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user_idx" ON "refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_plans_goal_key" ON "training_plans" USING btree ("goal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));