/** `recomp status`: which database the configuration names, how far its schema is migrated, and how many accounts it holds. */
import type { DatabaseHandle } from '../db/client.ts';
import type { AdminContext } from './context.ts';
import { describeSchemaState, schemaState } from './schema-state.ts';

/** The accounts, none while the database has no schema yet. */
const accountsIn = (database: DatabaseHandle) =>
  database.raw('snapshot', async (query) => {
    const [table] = await query(`SELECT to_regclass('public.users') IS NOT NULL AS present`);
    if (table?.present !== true) return 0;
    const [row] = await query('SELECT count(*)::int AS n FROM users');
    return Number(row?.n ?? 0);
  });

function where(database: DatabaseHandle, config: { dataDir: string; databaseUrl: string | null }): string {
  if (database.kind === 'pglite' || config.databaseUrl === null) return `embedded (PGlite) in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  // Never the password: the output may be pasted into a question for help.
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

async function status({ config, database, print }: AdminContext, _args: Record<string, never>): Promise<void> {
  print(`database: ${where(database, config)}`);
  print(`migrations: ${describeSchemaState(await schemaState(database))}`);
  print(`accounts: ${await accountsIn(database)}`);
}

export const statusTasks = { status };
