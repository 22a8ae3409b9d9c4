/**
 * Where a database stands against this code's migrations (drizzle/meta/_journal.json), read from
 * drizzle's own record of what it applied (drizzle.__drizzle_migrations: one row per migration, its
 * `created_at` the journal entry's `when`), the same way on both engines.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bigint, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import { type DatabaseHandle, migrationsFolder } from '../db/client.ts';
import { sqlStateOf } from '../db/errors.ts';
import { AdminError } from './context.ts';

const appliedMigrations = pgSchema('drizzle').table('__drizzle_migrations', {
  id: serial('id').primaryKey(),
  hash: text('hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }),
});

/** The relation or its schema does not exist: nothing was ever migrated. */
const NEVER_MIGRATED = new Set(['42P01', '3F000']);

export interface SchemaState {
  /** Migrations this code has. */
  known: number;
  /** Of those, the ones the database has applied. */
  applied: number;
  /** Migrations the database has that this code does not know: it was migrated by a newer version. */
  newer: number;
}

export async function schemaState(database: DatabaseHandle): Promise<SchemaState> {
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  const known = new Set(journal.entries.map((entry) => entry.when));
  let rows: { createdAt: number | null }[];
  try {
    rows = await database.db.select({ createdAt: appliedMigrations.createdAt }).from(appliedMigrations);
  } catch (error) {
    if (!NEVER_MIGRATED.has(sqlStateOf(error) ?? '')) throw error;
    rows = [];
  }
  const applied = rows.filter((row) => row.createdAt !== null && known.has(row.createdAt)).length;
  return { known: known.size, applied, newer: rows.length - applied };
}

export function describeSchemaState(state: SchemaState): string {
  if (state.newer > 0) return `migrated by a newer version of Recomp (${state.newer} migration(s) this version does not know)`;
  if (state.applied < state.known) return `${state.applied} of ${state.known} migrations applied, ${state.known - state.applied} pending`;
  return `all ${state.known} migrations applied`;
}

/** Refuses to work on a database that is not at this code's schema (the account commands). */
export async function requireCurrentSchema(database: DatabaseHandle): Promise<void> {
  const state = await schemaState(database);
  if (state.newer > 0) {
    throw new AdminError(`the database was ${describeSchemaState(state)}: run the recomp command of that version`);
  }
  if (state.applied < state.known) {
    throw new AdminError(
      `the database is not at this version's schema (${describeSchemaState(state)}): ` +
        'start the service once, or run `npm run db:migrate`, then try again',
    );
  }
}
