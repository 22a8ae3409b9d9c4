/**
 * Migration 0003 (weekly_rate_percent, docs/SCIENCE.md 3.3) on a database that already holds goals: every existing goal gets its
 * type's default weekly rate (0.5 % cutting, 0.25 % bulking) and the column then refuses NULL and
 * rates outside the type's range. The migrations before it are applied as drizzle applies them.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/db/schema-version.ts';

let db: PGlite;

async function apply(tag: string) {
  const text = await readFile(`${migrationsFolder}/${tag}.sql`, 'utf8');
  for (const statement of text.split('--> statement-breakpoint')) if (statement.trim()) await db.exec(statement);
}

beforeAll(async () => {
  db = await PGlite.create();
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
  const tags = journal.entries.map((e) => e.tag);
  const at = tags.indexOf('0003_goal_weekly_rate');
  expect(at).toBeGreaterThan(0);
  for (const tag of tags.slice(0, at)) await apply(tag);
  await db.exec(`
    insert into users (id, email, password_hash, full_name, date_of_birth, gender, height_cm, preferred_calculation_method, activity_level)
      values ('00000000-0000-4000-8000-000000000001', 'old@example.com', 'x', 'Old Goals', '1990-01-01', 'male', 180, 'navy', 'sedentary');
    insert into body_measurements (id, user_id, weight_kg, calculation_method, waist_cm, neck_cm, calculated_body_fat_percentage, measured_at)
      values ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 85, 'navy', 90, 38, 20, now());
    insert into goals (user_id, initial_measurement_id, goal_type, status, initial_body_fat_percentage, initial_weight_kg, initial_measured_at,
        calculation_method, target_body_fat_percentage, ceiling_body_fat_percentage, current_body_fat_percentage, target_calories, estimated_weeks_to_goal)
      values
      ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'cutting', 'abandoned', 20, 85, now(), 'navy', 15, null, 20, 2300, 29),
      ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'bulking', 'active', 20, 85, now(), 'navy', null, 25, 20, 3000, 100);
  `);
  await apply('0003_goal_weekly_rate');
}, 60_000);
afterAll(async () => {
  await db?.close();
});

describe('migration 0003_goal_weekly_rate', () => {
  it("gives existing goals their type's default rate and leaves the rest to be filled in", async () => {
    const { rows } = await db.query<{
      goal_type: string;
      weekly_rate_percent: string;
      expenditure_kcal: number | null;
      projection: unknown;
    }>('select goal_type, weekly_rate_percent, expenditure_kcal, projection from goals order by goal_type::text');
    expect(rows.map((r) => [r.goal_type, Number(r.weekly_rate_percent), r.expenditure_kcal, r.projection])).toEqual([
      ['bulking', 0.25, null, null],
      ['cutting', 0.5, null, null],
    ]);
  });

  it("then refuses a missing rate and a rate outside the goal type's range", async () => {
    await expect(db.exec("update goals set weekly_rate_percent = null where goal_type = 'cutting'")).rejects.toThrow(/null value/);
    await expect(db.exec("update goals set weekly_rate_percent = 0.75 where goal_type = 'bulking'")).rejects.toThrow(
      /goals_weekly_rate_range/,
    );
    await db.exec("update goals set weekly_rate_percent = 0.75 where goal_type = 'cutting'");
  });
});
