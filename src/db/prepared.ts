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
import type { Executor } from './client.ts';

interface DriverSession { client: unknown }
const sessionOf = (db: Executor) => (db as unknown as { session: DriverSession }).session;

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
