/** Where a database stands against this code's migrations (src/db/schema-version.ts), for the commands. */
import type { DatabaseHandle } from '../db/client.ts';
import { codeSchema, databaseSchema } from '../db/schema-version.ts';
import { AdminError } from './context.ts';

export interface SchemaState {
  /** Migrations this code has. */
  known: number;
  /** Of those, the ones the database has applied. */
  applied: number;
  /** Migrations the database has that this code does not know: it was migrated by a newer version. */
  newer: number;
}

export async function schemaState(database: DatabaseHandle): Promise<SchemaState> {
  const found = await database.raw('snapshot', databaseSchema);
  return { known: codeSchema().version, applied: found.version - found.unknown, newer: found.unknown };
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
