/**
 * The one database schema. Every physiological range the API validates is also a CHECK here, so a
 * bug in the application can never store an impossible body; drizzle-kit turns this file into the
 * SQL migrations in `drizzle/`.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const sexEnum = pgEnum('sex', ['male', 'female']);
export const calculationMethodEnum = pgEnum('calculation_method', ['navy', '3_site', '7_site']);
export const activityLevelEnum = pgEnum('activity_level', [
  'sedentary',
  'lightly_active',
  'moderately_active',
  'very_active',
  'extremely_active',
]);
export const goalTypeEnum = pgEnum('goal_type', ['cutting', 'bulking']);
export const goalStatusEnum = pgEnum('goal_status', ['active', 'completed', 'abandoned']);
export const expenditureMethodEnum = pgEnum('expenditure_method', ['equation', 'blended', 'adaptive']);
/** How the web app shows and reads weights and lengths; the API itself is metric either way. */
export const unitSystemEnum = pgEnum('unit_system', ['metric', 'imperial']);

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const kg = (name: string) => numeric(name, { precision: 5, scale: 2, mode: 'number' });
const percent = (name: string) => numeric(name, { precision: 4, scale: 2, mode: 'number' });
/** Circumferences in cm and skinfolds in mm share numeric(5,2). */
const length = (name: string) => numeric(name, { precision: 5, scale: 2, mode: 'number' });
/** CHECK that a nullable column, when present, lies in [min, max]. */
const rangeWhenPresent = (name: string, column: string, min: number, max: number) =>
  check(name, sql.raw(`"${column}" IS NULL OR "${column}" BETWEEN ${min} AND ${max}`));

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: varchar('email', { length: 255 }).notNull(),
    /** Null for an account created through single sign-on until its owner sets a password. */
    passwordHash: text('password_hash'),
    fullName: varchar('full_name', { length: 255 }).notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    gender: sexEnum('gender').notNull(),
    heightCm: length('height_cm').notNull(),
    preferredCalculationMethod: calculationMethodEnum('preferred_calculation_method').notNull(),
    activityLevel: activityLevelEnum('activity_level').notNull(),
    units: unitSystemEnum('units').notNull().default('metric'),
    /** Set by `recomp users disable`: the account cannot sign in until enabled (docs/SECURITY.md, "Disabled accounts"). */
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_email_lowercase', sql`${t.email} = lower(${t.email})`),
    check('users_height_range', sql`${t.heightCm} BETWEEN 120 AND 250`),
  ],
);

/** One row per issued refresh token; only a SHA-256 of the token is kept. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_token_hash_key').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.userId),
  ],
);

export const measurements = pgTable(
  'body_measurements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    weightKg: kg('weight_kg').notNull(),
    calculationMethod: calculationMethodEnum('calculation_method').notNull(),
    waistCm: length('waist_cm'),
    neckCm: length('neck_cm'),
    hipCm: length('hip_cm'),
    chestMm: length('chest_mm'),
    abdomenMm: length('abdomen_mm'),
    thighMm: length('thigh_mm'),
    tricepMm: length('tricep_mm'),
    suprailiacMm: length('suprailiac_mm'),
    midaxillaryMm: length('midaxillary_mm'),
    subscapularMm: length('subscapular_mm'),
    calculatedBodyFatPercentage: percent('calculated_body_fat_percentage').notNull(),
    notes: text('notes'),
    measuredAt: timestamp('measured_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('body_measurements_user_measured_idx').on(t.userId, t.measuredAt.desc()),
    check('body_measurements_weight_range', sql`${t.weightKg} BETWEEN 30 AND 300`),
    check('body_measurements_body_fat_range', sql`${t.calculatedBodyFatPercentage} BETWEEN 3 AND 50`),
    rangeWhenPresent('body_measurements_waist_range', 'waist_cm', 10, 200),
    rangeWhenPresent('body_measurements_neck_range', 'neck_cm', 10, 200),
    rangeWhenPresent('body_measurements_hip_range', 'hip_cm', 10, 200),
    rangeWhenPresent('body_measurements_chest_range', 'chest_mm', 1, 70),
    rangeWhenPresent('body_measurements_abdomen_range', 'abdomen_mm', 1, 70),
    rangeWhenPresent('body_measurements_thigh_range', 'thigh_mm', 1, 70),
    rangeWhenPresent('body_measurements_tricep_range', 'tricep_mm', 1, 70),
    rangeWhenPresent('body_measurements_suprailiac_range', 'suprailiac_mm', 1, 70),
    rangeWhenPresent('body_measurements_midaxillary_range', 'midaxillary_mm', 1, 70),
    rangeWhenPresent('body_measurements_subscapular_range', 'subscapular_mm', 1, 70),
  ],
);

export const goals = pgTable(
  'goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // NO ACTION (checked at the end of the statement) keeps a measurement in use from being deleted
    // alone, while still letting the user's cascade remove both (RESTRICT would block deleting the account).
    initialMeasurementId: uuid('initial_measurement_id')
      .notNull()
      .references(() => measurements.id),
    goalType: goalTypeEnum('goal_type').notNull(),
    status: goalStatusEnum('status').notNull().default('active'),
    initialBodyFatPercentage: percent('initial_body_fat_percentage').notNull(),
    initialWeightKg: kg('initial_weight_kg').notNull(),
    initialMeasuredAt: timestamp('initial_measured_at', { withTimezone: true, mode: 'date' }).notNull(),
    calculationMethod: calculationMethodEnum('calculation_method').notNull(),
    targetBodyFatPercentage: percent('target_body_fat_percentage'),
    ceilingBodyFatPercentage: percent('ceiling_body_fat_percentage'),
    currentBodyFatPercentage: percent('current_body_fat_percentage').notNull(),
    targetCalories: integer('target_calories').notNull(),
    estimatedWeeksToGoal: integer('estimated_weeks_to_goal'),
    /** % of body weight per week the calorie target plans for (docs/SCIENCE.md 3.3); rows before it got their type's default. */
    weeklyRatePercent: numeric('weekly_rate_percent', { precision: 3, scale: 2, mode: 'number' }).notNull(),
    /** The expenditure estimate behind target_calories (set at creation and at each check-in; null on older goals until then). */
    expenditureKcal: integer('expenditure_kcal'),
    expenditureMethod: expenditureMethodEnum('expenditure_method'),
    /** The energy-balance projection made when the goal was planned (see goals/projection.ts); null on older goals. */
    projection: jsonb('projection'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('goals_one_active_per_user').on(t.userId).where(sql`${t.status} = 'active'`),
    index('goals_user_started_idx').on(t.userId, t.startedAt.desc()),
    index('goals_initial_measurement_idx').on(t.initialMeasurementId),
    check(
      'goals_target_matches_type',
      sql`(${t.goalType} = 'cutting' AND ${t.targetBodyFatPercentage} IS NOT NULL AND ${t.ceilingBodyFatPercentage} IS NULL)
    OR (${t.goalType} = 'bulking' AND ${t.ceilingBodyFatPercentage} IS NOT NULL AND ${t.targetBodyFatPercentage} IS NULL)`,
    ),
    check('goals_initial_body_fat_range', sql`${t.initialBodyFatPercentage} BETWEEN 3 AND 50`),
    check('goals_current_body_fat_range', sql`${t.currentBodyFatPercentage} BETWEEN 3 AND 50`),
    check('goals_initial_weight_range', sql`${t.initialWeightKg} BETWEEN 30 AND 300`),
    rangeWhenPresent('goals_target_range', 'target_body_fat_percentage', 3, 50),
    rangeWhenPresent('goals_ceiling_range', 'ceiling_body_fat_percentage', 3, 50),
    check('goals_calories_range', sql`${t.targetCalories} BETWEEN 1200 AND 5000`),
    check(
      'goals_weekly_rate_range',
      sql`(${t.goalType} = 'cutting' AND ${t.weeklyRatePercent} BETWEEN 0.25 AND 1)
    OR (${t.goalType} = 'bulking' AND ${t.weeklyRatePercent} BETWEEN 0.1 AND 0.5)`,
    ),
    check('goals_expenditure_range', sql`${t.expenditureKcal} IS NULL OR ${t.expenditureKcal} BETWEEN 500 AND 10000`),
    check('goals_weeks_positive', sql`${t.estimatedWeeksToGoal} IS NULL OR ${t.estimatedWeeksToGoal} > 0`),
    check('goals_completed_at_matches_status', sql`(${t.status} = 'completed') = (${t.completedAt} IS NOT NULL)`),
  ],
);

export const progressEntries = pgTable(
  'progress_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
    measurementId: uuid('measurement_id')
      .notNull()
      .references(() => measurements.id),
    weekNumber: integer('week_number').notNull(),
    bodyFatPercentage: percent('body_fat_percentage').notNull(),
    weightKg: kg('weight_kg').notNull(),
    // numeric(5,2): a weight change of 100 kg or more would overflow numeric(4,2).
    bodyFatChange: numeric('body_fat_change', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    weightChangeKg: numeric('weight_change_kg', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    isOnTrack: boolean('is_on_track').notNull(),
    // Kept so the history shows what the check-in said (docs/DESIGN.md, 'Check-ins').
    ceilingWarning: text('ceiling_warning'),
    rateWarning: text('rate_warning'),
    notes: text('notes'),
    measuredAt: timestamp('measured_at', { withTimezone: true, mode: 'date' }).notNull(),
    loggedAt: timestamp('logged_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('progress_entries_measurement_key').on(t.measurementId),
    index('progress_entries_goal_measured_idx').on(t.goalId, t.measuredAt),
    check('progress_entries_week_nonnegative', sql`${t.weekNumber} >= 0`),
    check('progress_entries_body_fat_range', sql`${t.bodyFatPercentage} BETWEEN 3 AND 50`),
    check('progress_entries_weight_range', sql`${t.weightKg} BETWEEN 30 AND 300`),
  ],
);

export const trainingPlans = pgTable(
  'training_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
    workoutFrequency: integer('workout_frequency').notNull(),
    primaryFocus: varchar('primary_focus', { length: 100 }).notNull(),
    planDetails: jsonb('plan_details').notNull(),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('training_plans_goal_key').on(t.goalId),
    check('training_plans_frequency_range', sql`${t.workoutFrequency} BETWEEN 1 AND 7`),
  ],
);

export const dietPlans = pgTable(
  'diet_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
    dailyCalorieTarget: integer('daily_calorie_target').notNull(),
    proteinGrams: integer('protein_grams').notNull(),
    carbsGrams: integer('carbs_grams').notNull(),
    fatGrams: integer('fat_grams').notNull(),
    mealTiming: jsonb('meal_timing'),
    guidelines: text('guidelines').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('diet_plans_goal_key').on(t.goalId),
    check('diet_plans_calories_range', sql`${t.dailyCalorieTarget} BETWEEN 1200 AND 5000`),
    check('diet_plans_protein_range', sql`${t.proteinGrams} BETWEEN 50 AND 400`),
    check('diet_plans_carbs_range', sql`${t.carbsGrams} BETWEEN 50 AND 800`),
    check('diet_plans_fat_range', sql`${t.fatGrams} BETWEEN 20 AND 200`),
  ],
);

export const targetReasonEnum = pgEnum('target_reason', [
  'start',
  'check_in_changed',
  'check_in_capped',
  'check_in_kept',
  'check_in_completed',
  'rate_change',
  'history_start',
]);

/**
 * A goal's calorie targets as they took effect (docs/DESIGN.md, 'Check-ins'): one row at the start,
 * one at each check-in (changed or kept), one at each change of rate. A check-in's row goes with
 * it; deleting the check-in restores the goal from the row before (progress/checkInUndo.ts), so each
 * row keeps what that needs: the expenditure and the point the diet plan was computed from.
 */
export const goalTargets = pgTable(
  'goal_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
    progressEntryId: uuid('progress_entry_id').references(() => progressEntries.id, { onDelete: 'cascade' }),
    /** The (UTC) day it took effect. */
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    calories: integer('calories').notNull(),
    expenditureKcal: integer('expenditure_kcal'),
    expenditureMethod: expenditureMethodEnum('expenditure_method'),
    previousCalories: integer('previous_calories'),
    previousExpenditureKcal: integer('previous_expenditure_kcal'),
    /** The calories computed before smoothing (docs/SCIENCE.md 3.4); null where there was none. */
    rawCalories: integer('raw_calories'),
    weeklyRatePercent: numeric('weekly_rate_percent', { precision: 3, scale: 2, mode: 'number' }).notNull(),
    reason: targetReasonEnum('reason').notNull(),
    /** The weight and body fat the diet plan was computed from; null on rows made for goals older than the table. */
    planWeightKg: kg('plan_weight_kg'),
    planBodyFatPercentage: percent('plan_body_fat_percentage'),
    createdAt: createdAt(),
  },
  (t) => [
    index('goal_targets_goal_idx').on(t.goalId, t.createdAt),
    index('goal_targets_progress_entry_idx').on(t.progressEntryId),
    check('goal_targets_calories_range', sql`${t.calories} BETWEEN 1200 AND 5000`),
    check('goal_targets_previous_calories_range', sql`${t.previousCalories} IS NULL OR ${t.previousCalories} BETWEEN 1200 AND 5000`),
    check('goal_targets_raw_calories_range', sql`${t.rawCalories} IS NULL OR ${t.rawCalories} BETWEEN 1200 AND 5000`),
    check('goal_targets_expenditure_range', sql`${t.expenditureKcal} IS NULL OR ${t.expenditureKcal} BETWEEN 500 AND 10000`),
    check(
      'goal_targets_previous_expenditure_range',
      sql`${t.previousExpenditureKcal} IS NULL OR ${t.previousExpenditureKcal} BETWEEN 500 AND 10000`,
    ),
    check('goal_targets_weekly_rate_range', sql`${t.weeklyRatePercent} BETWEEN 0.1 AND 1`),
    rangeWhenPresent('goal_targets_plan_weight_range', 'plan_weight_kg', 30, 300),
    rangeWhenPresent('goal_targets_plan_body_fat_range', 'plan_body_fat_percentage', 3, 50),
  ],
);

/**
 * Responses to creating POSTs sent with an Idempotency-Key, so a retry returns the first answer and
 * creates nothing new. `statusCode` is null while the first request is still being handled.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: varchar('key', { length: 255 }).notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    responseBody: text('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** Where a day's log came from: typed in by the person, or read from a file (the imports). Daily intake uses it too. */
export const weightSourceEnum = pgEnum('weight_source', ['manual', 'import']);

/**
 * Daily weigh-ins (docs/DESIGN.md, 'Daily logs'): one per person and calendar day; a PUT of the same day replaces it.
 * Days with a body measurement but no weigh-in take the measurement's weight when read.
 */
export const dailyWeights = pgTable(
  'daily_weights',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    weightKg: kg('weight_kg').notNull(),
    source: weightSourceEnum('source').notNull().default('manual'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] }), check('daily_weights_weight_range', sql`${t.weightKg} BETWEEN 30 AND 300`)],
);

/** Daily energy and macro intake as logged; a day without a row is unknown, not zero. */
export const dailyIntake = pgTable(
  'daily_intake',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    calories: integer('calories').notNull(),
    proteinG: numeric('protein_g', { precision: 6, scale: 1, mode: 'number' }),
    carbsG: numeric('carbs_g', { precision: 6, scale: 1, mode: 'number' }),
    fatG: numeric('fat_g', { precision: 6, scale: 1, mode: 'number' }),
    /** False when the person logged only part of the day: the expenditure estimate leaves its calories out (docs/SCIENCE.md). */
    complete: boolean('complete').notNull().default(true),
    source: weightSourceEnum('source').notNull().default('manual'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.day] }),
    check('daily_intake_calories_range', sql`${t.calories} BETWEEN 0 AND 15000`),
    rangeWhenPresent('daily_intake_protein_range', 'protein_g', 0, 1000),
    rangeWhenPresent('daily_intake_carbs_range', 'carbs_g', 0, 2000),
    rangeWhenPresent('daily_intake_fat_range', 'fat_g', 0, 1000),
  ],
);

export const importStatusEnum = pgEnum('import_status', ['running', 'done', 'failed']);
export const importFormatEnum = pgEnum('import_format', ['myfitnesspal', 'cronometer', 'loseit', 'apple_health', 'weights_csv']);
export const importConflictEnum = pgEnum('import_conflict', ['keep', 'replace']);

/**
 * A file a person imports (docs/DESIGN.md, 'Imports'): a job that runs in the process that took the
 * upload. `heartbeat_at` moves while it runs; a running job whose heartbeat stopped (its process
 * ended) is marked failed.
 */
export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: importStatusEnum('status').notNull().default('running'),
    format: importFormatEnum('format'),
    dryRun: boolean('dry_run').notNull(),
    onConflict: importConflictEnum('on_conflict').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    progress: numeric('progress', { precision: 4, scale: 3, mode: 'number' }).notNull().default(0),
    error: jsonb('error'),
    report: jsonb('report'),
    createdAt: createdAt(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('imports_user_created_idx').on(t.userId, t.createdAt),
    // Status first: the sweep (running, heartbeat before a time) and a job's own updates (its id, still running) both bound it.
    index('imports_status_heartbeat_idx').on(t.status, t.heartbeatAt),
    check('imports_progress_range', sql`${t.progress} BETWEEN 0 AND 1`),
  ],
);

/**
 * Single sign-on (docs/SECURITY.md, 'Single sign-on'): who a provider's account is here. People are
 * known by the provider's issuer and its `sub`, never by email, and one provider account per account.
 */
export const userIdentities = pgTable(
  'user_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('user_identities_issuer_subject_key').on(t.issuer, t.subject),
    uniqueIndex('user_identities_user_issuer_key').on(t.userId, t.issuer),
  ],
);

export const mailKindEnum = pgEnum('mail_kind', ['password_reset']);
export const mailStatusEnum = pgEnum('mail_status', ['pending', 'sent', 'failed']);

/**
 * The mail outbox (docs/DEPLOY.md, 'Mail'): a mail is queued here in the transaction of the action
 * that causes it and sent later by the sender of any instance (src/modules/mail/sender.ts). A row
 * names what to send (`kind`) and to whom, not the mail's text: what the mail says, a reset link
 * among it, is made when it is sent, so no secret ever waits here. `due_at` is when a pending mail is
 * next tried (a sender that claims it moves it past its lease); `finished_at` when it was sent or
 * given up, after which it is kept for a while as history.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: mailKindEnum('kind').notNull(),
    /** Lower-cased, as accounts' addresses are stored. */
    recipient: varchar('recipient', { length: 255 }).notNull(),
    status: mailStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // Status first: the claim (pending, due before a time), the pruning (sent or failed) and the oldest pending all bound it.
    index('mail_outbox_status_due_idx').on(t.status, t.dueAt),
    index('mail_outbox_recipient_idx').on(t.recipient),
    check('mail_outbox_recipient_lowercase', sql`${t.recipient} = lower(${t.recipient})`),
    check('mail_outbox_attempts_range', sql`${t.attempts} >= 0`),
  ],
);

/**
 * A sign-in begun at the provider and not yet back: the PKCE verifier and nonce it must come back
 * with, found by the SHA-256 of its `state`, bound to the browser that began it by the SHA-256 of a
 * cookie's value. Used once (deleted as it is read); expired rows are removed as new ones come.
 */
export const oidcLogins = pgTable(
  'oidc_logins',
  {
    stateHash: text('state_hash').primaryKey(),
    browserHash: text('browser_hash').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('oidc_logins_expires_idx').on(t.expiresAt)],
);

/**
 * A provider account verified at the callback, handed to the web app as a short-lived code (kept as
 * its SHA-256): exchanged once for tokens, or, for someone not yet linked, used to link an account
 * by its password or to complete a sign-up.
 */
export const oidcHandoffs = pgTable(
  'oidc_handoffs',
  {
    codeHash: text('code_hash').primaryKey(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    email: varchar('email', { length: 255 }),
    emailVerified: boolean('email_verified'),
    fullName: varchar('full_name', { length: 255 }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('oidc_handoffs_expires_idx').on(t.expiresAt)],
);

/**
 * Password-reset links (docs/SECURITY.md, 'Password reset'): only a SHA-256 of each link's random
 * token is kept. A token works once, until `expires_at`.
 */
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);
