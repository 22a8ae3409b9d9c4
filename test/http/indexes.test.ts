/**
 * Every lookup and list query has an index behind it: with sequential scans priced out, the
 * planner must still find an index path for each (an unindexed query would fall back to a Seq Scan).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/app.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';

let database: DatabaseHandle;
beforeAll(async () => { database = await openTestDatabase(); });
afterAll(async () => { await database.close(); });

const id = "'00000000-0000-4000-8000-000000000000'";

/** The queries of the repositories, in SQL. */
const queries: Record<string, string> = {
  'user by id': `select * from users where id = ${id}`,
  'user by email (login)': `select * from users where lower(email) = 'a@example.com'`,
  'measurement of a user': `select * from body_measurements where id = ${id} and user_id = ${id}`,
  'measurements list, newest first': `select * from body_measurements where user_id = ${id} order by measured_at desc, id desc limit 20`,
  'measurements count': `select count(*) from body_measurements where user_id = ${id}`,
  'goal of a user': `select * from goals where id = ${id} and user_id = ${id}`,
  'goals list, newest first': `select * from goals where user_id = ${id} order by started_at desc, id desc limit 20`,
  'goals list by status': `select * from goals where user_id = ${id} and status = 'active' order by started_at desc limit 20`,
  'progress of a goal': `select * from progress_entries where goal_id = ${id} order by measured_at, id`,
  'measurement already linked': `select id from progress_entries where measurement_id = ${id}`,
  'training plan of a goal': `select * from goals left join training_plans on training_plans.goal_id = goals.id where goals.id = ${id} and goals.user_id = ${id}`,
  'diet plan of a goal': `select * from goals left join diet_plans on diet_plans.goal_id = goals.id where goals.id = ${id} and goals.user_id = ${id}`,
  'refresh token by hash': `select * from refresh_tokens where token_hash = 'x'`,
  'refresh family': `update refresh_tokens set revoked_at = now() where family_id = ${id} and revoked_at is null`,
};

async function plan(query: string): Promise<string> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const result = await tx.execute(sql.raw(`explain ${query}`)) as unknown as { rows?: Record<string, string>[] } | Record<string, string>[];
    const rows = Array.isArray(result) ? result : result.rows ?? [];
    return rows.map((row) => Object.values(row)[0]).join('\n');
  });
}

describe('indexes', () => {
  it.each(Object.entries(queries))('%s uses an index', async (_name, query) => {
    const text = await plan(query);
    expect(text, text).not.toMatch(/Seq Scan/);
    expect(text).toMatch(/Index/);
  });
});
