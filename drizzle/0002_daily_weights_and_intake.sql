CREATE TYPE "public"."weight_source" AS ENUM('manual', 'import');--> statement-breakpoint
CREATE TABLE "daily_intake" (
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"calories" integer NOT NULL,
	"protein_g" numeric(6, 1),
	"carbs_g" numeric(6, 1),
	"fat_g" numeric(6, 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_intake_user_id_day_pk" PRIMARY KEY("user_id","day"),
	CONSTRAINT "daily_intake_calories_range" CHECK ("daily_intake"."calories" BETWEEN 0 AND 15000),
	CONSTRAINT "daily_intake_protein_range" CHECK ("protein_g" IS NULL OR "protein_g" BETWEEN 0 AND 1000),
	CONSTRAINT "daily_intake_carbs_range" CHECK ("carbs_g" IS NULL OR "carbs_g" BETWEEN 0 AND 2000),
	CONSTRAINT "daily_intake_fat_range" CHECK ("fat_g" IS NULL OR "fat_g" BETWEEN 0 AND 1000)
);
--> statement-breakpoint
CREATE TABLE "daily_weights" (
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"weight_kg" numeric(5, 2) NOT NULL,
	"source" "weight_source" DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_weights_user_id_day_pk" PRIMARY KEY("user_id","day"),
	CONSTRAINT "daily_weights_weight_range" CHECK ("daily_weights"."weight_kg" BETWEEN 30 AND 300)
);
--> statement-breakpoint
ALTER TABLE "daily_intake" ADD CONSTRAINT "daily_intake_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_weights" ADD CONSTRAINT "daily_weights_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;