/**
 * Migration 0005 (the target history, docs/DESIGN.md 'Check-ins') on a database that already holds
 * goals: each gets one `history_start` row with its current target, expenditure and rate, planned
 * from its latest point (the latest check-in, else the initial measurement). The migrations before
 * it are applied as drizzle applies them.
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

const USER = '00000000-0000-4000-8000-000000000001';
const FIRST = '00000000-0000-4000-8000-000000000002';
const LATER = '00000000-0000-4000-8000-000000000003';
const CHECKED = '00000000-0000-4000-8000-000000000010';
const FRESH = '00000000-0000-4000-8000-000000000011';

beforeAll(async () => {
  db = await PGlite.create();
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
  const tags = journal.entries.map((e) => e.tag);
  const at = tags.indexOf('0005_goal_targets');
  expect(at).toBeGreaterThan(0);
  for (const tag of tags.slice(0, at)) await apply(tag);
  await db.exec(`
    insert into users (id, email, password_hash, full_name, date_of_birth, gender, height_cm, preferred_calculation_method, activity_level)
      values ('${USER}', 'old@example.com', 'x', 'Old Goals', '1990-01-01', 'male', 180, 'navy', 'sedentary');
    insert into body_measurements (id, user_id, weight_kg, calculation_method, waist_cm, neck_cm, calculated_body_fat_percentage, measured_at)
      values ('${FIRST}', '${USER}', 85, 'navy', 90, 38, 20, '2026-01-01T08:00:00Z'),
             ('${LATER}', '${USER}', 83.5, 'navy', 89, 38, 19.2, '2026-01-15T08:00:00Z');
    insert into goals (id, user_id, initial_measurement_id, goal_type, status, initial_body_fat_percentage, initial_weight_kg, initial_measured_at,
        calculation_method, target_body_fat_percentage, current_body_fat_percentage, target_calories, weekly_rate_percent, expenditure_kcal,
        expenditure_method, updated_at)
      values
      ('${CHECKED}', '${USER}', '${FIRST}', 'cutting', 'abandoned', 20, 85, '2026-01-01T08:00:00Z', 'navy', 15, 19.2, 2250, 0.5, 2650, 'equation', '2026-01-15T09:00:00Z'),
      ('${FRESH}', '${USER}', '${FIRST}', 'cutting', 'active', 20, 85, '2026-01-01T08:00:00Z', 'navy', 15, 20, 2300, 0.75, null, null, '2026-02-01T09:00:00Z');
    insert into progress_entries (goal_id, measurement_id, week_number, body_fat_percentage, weight_kg, body_fat_change, weight_change_kg, is_on_track, measured_at)
      values ('${CHECKED}', '${LATER}', 2, 19.2, 83.5, -0.8, -1.5, true, '2026-01-15T08:00:00Z');
  `);
  await apply('0005_goal_targets');
}, 60_000);
afterAll(async () => {
  await db?.close();
});

describe('migration 0005_goal_targets', () => {
  it('gives each existing goal one row: its current target, from its latest point', async () => {
    const { rows } = await db.query<Record<string, unknown>>(
      `select goal_id, effective_on::text as day, calories, expenditure_kcal, expenditure_method, weekly_rate_percent::float8 as rate, reason,
              plan_weight_kg::float8 as weight, plan_body_fat_percentage::float8 as bf, progress_entry_id, previous_calories
         from goal_targets order by goal_id`,
    );
    expect(rows).toEqual([
      {
        goal_id: CHECKED,
        day: '2026-01-15',
        calories: 2250,
        expenditure_kcal: 2650,
        expenditure_method: 'equation',
        rate: 0.5,
        reason: 'history_start',
        weight: 83.5,
        bf: 19.2,
        progress_entry_id: null,
        previous_calories: null,
      },
      {
        goal_id: FRESH,
        day: '2026-02-01',
        calories: 2300,
        expenditure_kcal: null,
        expenditure_method: null,
        rate: 0.75,
        reason: 'history_start',
        weight: 85,
        bf: 20,
        progress_entry_id: null,
        previous_calories: null,
      },
    ]);
  });

  it('goes with its goal', async () => {
    await db.exec(`delete from progress_entries where goal_id = '${CHECKED}'; delete from goals where id = '${CHECKED}'`);
    expect((await db.query('select 1 from goal_targets')).rows).toHaveLength(1);
  });
});
