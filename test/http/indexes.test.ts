/**
 * Every statement the service sends has an index behind it. The statements are not written down
 * here: the test runs every operation through the real app (test/helpers/every-route.ts) and
 * records what drizzle sends, with its parameters. Then, with sequential scans priced out, the
 * planner must find for each statement a plan in which every scan of a table of src/db/schema.ts
 * goes through an index whose first key the statement bounds; a query no index serves falls back to
 * a Seq Scan, or to reading a whole index, and fails here.
 *
 * What the flow does not run is not checked, so the test also fails when the flow misses an
 * operation of /openapi.json, a query built with `reusable` (src/db/prepared.ts), or a table.
 */
import { is, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema.ts';
import { appOn, type TestApp } from '../helpers/app.ts';
import { type Call, runEveryRoute } from '../helpers/every-route.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc.ts';
import { openOwnDatabase, type SmtpSink, startSmtpSink } from '../helpers/smtp.ts';

/** The name of each query built with `reusable`, and the SQL text of those the flow ran. */
const reusables = vi.hoisted(() => ({ declared: new Set<string>(), ran: new Map<string, string>() }));
vi.mock('../../src/db/prepared.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/db/prepared.ts')>();
  const reusable: typeof actual.reusable = (name, build) => {
    reusables.declared.add(name);
    const prepared = actual.reusable(name, build);
    return (db) => {
      const query = prepared(db);
      // drizzle's prepared queries of both drivers keep their text there.
      reusables.ran.set(name, (query as { queryString?: string }).queryString ?? '(no text)');
      return query;
    };
  };
  return { ...actual, reusable };
});

interface Statement {
  query: string;
  params: unknown[];
}

/**
 * Records every statement drizzle sends on this database, transactions included: its logger hook,
 * set on the session (the top level's queries) and in the options each transaction's session is
 * made from. Set before any query is prepared, since a prepared query keeps the logger it was made with.
 */
function recordStatements(db: Database, into: Statement[]) {
  const session = (db as unknown as { session: { logger: unknown; options: { logger?: unknown } } }).session;
  const logger = {
    logQuery: (query: string, params: unknown[]) => {
      into.push({ query, params });
    },
  };
  session.logger = logger;
  session.options.logger = logger;
}

const tables = new Set(
  Object.values(schema)
    .filter((value) => is(value, PgTable))
    .map((table) => getTableConfig(table).name),
);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** Text as the planner prints it with casts, quotes and parentheses left out: `(lower((email)::text) = 'a'::text)` is `lower email = 'a'`. */
const bare = (text: string) =>
  text
    .replace(/::(?:timestamp with(?:out)? time zone|character varying|double precision|[\w.]+)(?:\[\])?/g, '')
    .replace(/[()"]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The first key of every index on the schema's tables (`user_id`, `lower email`), by index name. */
async function leadingKeys(): Promise<Map<string, string>> {
  const result = (await t.database.db.execute(sql`
    select i.relname as index, pg_get_indexdef(x.indexrelid, 1, true) as key
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class r on r.oid = x.indrelid
    where r.relname in ${[...tables]}`)) as unknown as { rows?: { index: string; key: string }[] } | { index: string; key: string }[];
  const rows = Array.isArray(result) ? result : (result.rows ?? []);
  return new Map(rows.map((row) => [row.index, bare(row.key)]));
}

/**
 * Whether an index node's condition bounds its index's first key. A condition on a later key
 * alone still shows as an Index Cond, but the scan then reads the whole index.
 */
function bounded(node: PlanNode, keys: Map<string, string>): boolean {
  const key = keys.get(node['Index Name'] ?? '');
  const condition = node['Index Cond'];
  if (key === undefined || condition === undefined) return false;
  return new RegExp(`(^| )${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (=|<|>|<=|>=|IS|~~)`).test(bare(condition));
}

/** The scans of schema tables in a plan: the table, and null when it is read through an index bounding its first key, else how. */
function scans(node: PlanNode, keys: Map<string, string>, into: { table: string; without: string | null }[] = []) {
  const table = node['Relation Name'];
  // A ModifyTable node names the table it writes; the rows it writes come from the scans below it.
  if (table !== undefined && tables.has(table) && node['Node Type'] !== 'ModifyTable') {
    const type = node['Node Type'];
    const bitmapIndexScans = (n: PlanNode): PlanNode[] =>
      n['Node Type'] === 'Bitmap Index Scan' ? [n] : (n.Plans ?? []).flatMap(bitmapIndexScans);
    const indexScans =
      type === 'Bitmap Heap Scan' ? bitmapIndexScans(node) : type === 'Index Scan' || type === 'Index Only Scan' ? [node] : [];
    const indexed = indexScans.length > 0 && indexScans.every((n) => bounded(n, keys));
    const how = [type, ...indexScans.map((n) => `on ${n['Index Name']} (${n['Index Cond'] ?? 'no condition'})`)].join(' ');
    into.push({ table, without: indexed ? null : how });
  }
  for (const child of node.Plans ?? []) scans(child, keys, into);
  return into;
}

/** The statement with its `$n` slots given their recorded values. */
function withParams({ query, params }: Statement): SQL {
  const parts = query.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 1 ? sql.param(params[Number(part) - 1]) : sql.raw(part))));
}

let t: TestApp;
let provider: TestProvider;
let sink: SmtpSink;
let calls: Call[];
const statements: Statement[] = [];
beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: the mail sender's queries are part of what is checked, and it claims from the whole outbox.
  const database = await openOwnDatabase();
  recordStatements(database.db, statements);
  const publicUrl = 'http://recomp.test';
  const redirectUri = `${publicUrl}/api/v1/auth/oidc/callback`;
  provider = await startTestProvider([redirectUri]);
  t = await appOn(database, { env: { ...provider.env(publicUrl, { OIDC_ALLOW_SIGNUP: 'true' }), ...sink.env, PUBLIC_URL: publicUrl } });
  calls = await runEveryRoute(t.app, { provider, redirectUri }, sink);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await provider?.close();
  await sink?.stop();
});

async function plan(statement: Statement): Promise<PlanNode> {
  return t.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const result = (await tx.execute(sql`explain (format json) ${withParams(statement)}`)) as unknown as
      | { rows?: Record<string, unknown>[] }
      | Record<string, unknown>[];
    const [row] = Array.isArray(result) ? result : (result.rows ?? []);
    const [document] = Object.values(row!) as [{ Plan: PlanNode }[]];
    return document[0]!.Plan;
  });
}

describe('indexes', () => {
  it('the flow reached every operation of the OpenAPI document', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    const operations = Object.entries(JSON.parse(spec.body).paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => m !== 'head')
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
    const missed = operations.filter(({ method, path }) => {
      const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '[^/?]+')}(\\?.*)?$`);
      // A redirect is the success of single sign-on's start and callback.
      return !calls.some((call) => call.method === method && pattern.test(call.url) && (call.status < 300 || call.status === 302));
    });
    expect(
      missed.map(({ method, path }) => `${method} ${path}`),
      'add them to test/helpers/every-route.ts',
    ).toEqual([]);
  });

  it('the flow ran every reusable query', () => {
    expect(reusables.declared.size).toBeGreaterThan(0);
    expect(
      [...reusables.declared].filter((name) => !reusables.ran.has(name)),
      'make test/helpers/every-route.ts run them',
    ).toEqual([]);
    const recorded = new Set(statements.map((s) => s.query));
    expect(
      [...reusables.ran].filter(([, text]) => !recorded.has(text)).map(([name]) => name),
      'ran but not recorded',
    ).toEqual([]);
  });

  it('every scan of a table in every statement goes through an index', async () => {
    const distinct = new Map<string, Statement>();
    for (const statement of statements) {
      if (/^\s*(select|insert|update|delete|with)\b/i.test(statement.query)) distinct.set(JSON.stringify(statement), statement);
    }
    const keys = await leadingKeys();
    const read = new Set<string>();
    const unindexed = new Set<string>();
    for (const statement of distinct.values()) {
      for (const scan of scans(await plan(statement), keys)) {
        read.add(scan.table);
        if (scan.without !== null) unindexed.add(`${scan.table} by ${scan.without} in: ${statement.query}`);
      }
    }
    expect([...unindexed]).toEqual([]);
    // Every table was read by some statement: idempotency_keys, daily_weights and daily_intake included.
    expect([...read].sort()).toEqual([...tables].sort());
  });
});
