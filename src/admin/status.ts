/** `recomp status`: which database the configuration names, how far its schema is migrated, and how many accounts it holds. */
import { sql, type SQL } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.ts';
import type { AdminContext } from './context.ts';
import { describeSchemaState, schemaState } from './schema-state.ts';

/** The one number a query answers (`… as n`), from either engine's driver (PGlite gives `{ rows }`, postgres.js the rows). */
async function count(database: DatabaseHandle, query: SQL): Promise<number> {
  const result = (await database.db.execute(query)) as unknown as { n: number }[] | { rows: { n: number }[] };
  return Number((Array.isArray(result) ? result : result.rows)[0]?.n ?? 0);
}

const tableExists = (database: DatabaseHandle, name: string) => count(database, sql`select (to_regclass(${name}) is not null)::int as n`);

function where(database: DatabaseHandle, config: { dataDir: string; databaseUrl: string | null }): string {
  if (database.kind === 'pglite' || config.databaseUrl === null) return `embedded (PGlite) in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  // Never the password: the output may be pasted into a question for help.
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

async function status({ config, database, print }: AdminContext, _args: Record<string, never>): Promise<void> {
  print(`database: ${where(database, config)}`);
  print(`migrations: ${describeSchemaState(await schemaState(database))}`);
  const accounts = (await tableExists(database, 'public.users')) ? await count(database, sql`select count(*)::int as n from users`) : 0;
  print(`accounts: ${accounts}`);
}

export const statusTasks = { status };
