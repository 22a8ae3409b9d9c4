/**
 * Queries built once and reused. drizzle turns a query builder into SQL text on every call, which
 * cost 50–120 µs a query in the profiles (most of the service's CPU per request); a prepared query
 * keeps the text and its parameter slots (`sql.placeholder`) and only fills in the values. On
 * PostgreSQL it also runs as a named prepared statement (db/client.ts).
 *
 * A prepared query runs on the driver handle it was built with. Inside a transaction the same
 * query is used through a view of it whose handle is the transaction's (`client` is the one field
 * drizzle's postgres-js and PGlite prepared queries run on; test/http covers both databases).
 */
import { sql } from 'drizzle-orm';
import type { Database, Executor } from './database.ts';
import { DependencyMoved } from './dependency-check.ts';
import { users } from './schema.ts';

interface DriverSession {
  client: unknown;
}
const SHIM = 'src/db/prepared.ts';

function sessionOf(db: Executor): DriverSession {
  const session = (db as unknown as { session?: DriverSession }).session;
  if (session?.client === undefined) throw new DependencyMoved(SHIM, 'drizzle-orm', 'a database or transaction has no session.client');
  return session;
}

/** The view below works only if a prepared query runs on its own `client` field, read when it runs. */
function checkRunsOnClient(query: object, session: DriverSession): void {
  if (!Object.hasOwn(query, 'client') || (query as DriverSession).client !== session.client) {
    throw new DependencyMoved(
      SHIM,
      'drizzle-orm',
      `a prepared query (${query.constructor.name}) no longer keeps its session's driver handle in its own \`client\` field`,
    );
  }
}

/** The check reusable() makes on a query's first build, made on one query when the database opens (client.ts). */
export function checkReusable(db: Database): void {
  checkRunsOnClient(db.select({ id: users.id }).from(users).prepare('recomp_dependency_check'), sessionOf(db));
}

export function reusable<Q extends { prepare(name: string): unknown }>(name: string, build: (db: Executor) => Q) {
  type Prepared = ReturnType<Q['prepare']>;
  // One per kind of driver session (postgres.js, PGlite): the SQL is the same, the classes differ.
  const byDriver = new Map<unknown, Prepared>();
  const views = new WeakMap<object, Prepared>();
  return (db: Executor): Prepared => {
    const session = sessionOf(db);
    let query = byDriver.get(session.constructor);
    if (query === undefined) {
      query = build(db).prepare(name) as Prepared;
      checkRunsOnClient(query as object, session);
      byDriver.set(session.constructor, query);
    }
    if ((query as unknown as DriverSession).client === session.client) return query;
    const client = session.client as object;
    let view = views.get(client);
    if (view === undefined) {
      view = Object.assign(Object.create(query as object) as object, { client }) as Prepared;
      views.set(client, view);
    }
    return view;
  };
}

/**
 * A value slot that bypasses the column's encoder. drizzle encodes a placeholder's value with the
 * column's mapper even when it is null (numeric's `String(null)` is "null"), so nullable numeric
 * columns take their values through this, as plain numbers or null.
 */
export const rawSlot = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * A placeholder where drizzle's types want a value (an update's `set`). At run time drizzle wraps
 * it like any value, so the column's encoder applies when the value is filled in.
 */
export const slot = <T>(name: string) => sql.placeholder(name) as unknown as T;
