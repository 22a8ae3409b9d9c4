/**
 * Named prepared statements for the embedded PGlite. PGlite runs each parameterised query as six
 * protocol exchanges with its WebAssembly Postgres (parse, describe, bind, describe, execute, sync)
 * and parses and plans it every time; in the profiles of the steady scenario its JavaScript glue
 * cost more than Postgres itself. Here a query's text is parsed (and its rows described) once into
 * a named statement, and every run is one exchange: bind, execute and sync sent together.
 *
 * Only `query` with parameters takes this path (drizzle sends every query that way); the rest of
 * PGlite is untouched. It keeps PGlite's own locking: a query outside a transaction waits for any
 * transaction to end, one inside runs in it, and every query holds the query lock while it runs.
 * It uses PGlite's public protocol API (`execProtocol`, `protocol.serialize`, `parse`) and the
 * members its own base class declares for extensions (`_runExclusiveQuery`, `_runExclusiveTransaction`).
 */
import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { requireMembers } from './dependency-check.ts';

/** Beyond this many distinct query texts, new ones run the ordinary way (drizzle's are few). */
const MAX_STATEMENTS = 1000;

type Message = Parameters<typeof import('@electric-sql/pglite').parse.parseResults>[0][number];
/** A named statement: its parameters' types, and the description of its rows (null: it returns none). */
interface Statement {
  name: string;
  types: number[];
  rows: Message | null;
}
type Query = (text: string, params?: unknown[], options?: QueryOptions) => Promise<Results>;

export async function withPreparedStatements(pg: PGlite): Promise<PGlite> {
  const { protocol, parse } = await import('@electric-sql/pglite');
  const { serialize } = protocol;
  const shim = 'src/db/pglite-statements.ts';
  requireMembers(shim, '@electric-sql/pglite', 'PGlite', pg, {
    execProtocol: 'function',
    syncToFs: 'function',
    query: 'function',
    transaction: 'function',
    _checkReady: 'function',
    _runExclusiveQuery: 'function',
    _runExclusiveTransaction: 'function',
    parsers: 'object',
    serializers: 'object',
  });
  requireMembers(shim, '@electric-sql/pglite', 'protocol.serialize', serialize, {
    parse: 'function',
    describe: 'function',
    sync: 'function',
    bind: 'function',
    execute: 'function',
  });
  requireMembers(shim, '@electric-sql/pglite', 'parse', parse, { parseResults: 'function', parseDescribeStatementResults: 'function' });
  const statements = new Map<string, Statement>();
  const join = (parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  };

  /**
   * PGlite's parseResults merges a query's own parsers into its defaults with an object spread on
   * every call: 318 integer-keyed entries (a parser per type OID, array types included), 137 µs a
   * query on this machine, 16 % of the service's CPU in the PGlite steady benchmark. drizzle passes
   * the same parsers object with every run of a query, so the merge is made once per such object,
   * as an object whose prototype is PGlite's defaults (which so stay live), and handed to
   * parseResults as the defaults with no parsers of the query's own: the same lookups, no copy.
   */
  type Parsers = Parameters<typeof parse.parseResults>[1];
  const merged = new WeakMap<QueryOptions, { parsers: Parsers; options: QueryOptions }>();
  const parseResults = (messages: Parameters<typeof parse.parseResults>[0], options: QueryOptions | undefined): Results => {
    if (!options?.parsers) return parse.parseResults(messages, pg.parsers, options)[0]!;
    let prepared = merged.get(options);
    if (prepared === undefined) {
      prepared = {
        parsers: Object.assign(Object.create(pg.parsers) as Parsers, options.parsers),
        options: { ...options, parsers: undefined },
      };
      merged.set(options, prepared);
    }
    return parse.parseResults(messages, prepared.parsers, prepared.options)[0]!;
  };

  /** Runs under the query lock. */
  async function run(text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean): Promise<Results> {
    let statement = statements.get(text);
    try {
      if (statement === undefined) {
        const name = `recomp_${statements.size}`;
        const { messages } = await pg.execProtocol(
          join([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
          { syncToFs: false },
        );
        statement = {
          name,
          types: parse.parseDescribeStatementResults(messages),
          rows: messages.find((m) => m.name === 'rowDescription') ?? null,
        };
        statements.set(text, statement);
      }
      const types = statement.types;
      // As PGlite's own query does: the type's serializer, else the value's text.
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const type = types[i] ?? 0;
        const serializer = options?.serializers?.[type] ?? pg.serializers[type];
        return serializer ? serializer(value) : String(value);
      });
      // No Describe: the rows' description was kept when the statement was made (PostgreSQL refuses
      // to run a prepared statement whose result columns have changed since, so it stays right).
      const { messages } = await pg.execProtocol(
        join([serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()]),
        { syncToFs: false },
      );
      if (!inTransaction) await pg.syncToFs();
      if (statement.rows !== null) messages.unshift(statement.rows);
      return parseResults(messages, options);
    } catch (error) {
      // PGlite names the query on its errors; drizzle and the logs read it.
      if (error && typeof error === 'object') Object.assign(error, { query: text, params, queryOptions: options });
      throw error;
    }
  }

  const fast = (text: string, params: unknown[] | undefined, options: QueryOptions | undefined): params is unknown[] =>
    params !== undefined && params.length > 0 && !options?.blob && (statements.size < MAX_STATEMENTS || statements.has(text));

  const query: Query = async (text, params, options) => {
    if (!fast(text, params, options)) return pg.query(text, params, options);
    await pg._checkReady();
    return pg._runExclusiveTransaction(() => pg._runExclusiveQuery(() => run(text, params, options, false)));
  };

  const inTransaction = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
        const txQuery: Query = async (text, params, options) => {
          if (!fast(text, params, options)) return target.query(text, params, options);
          if (target.closed) throw new Error('Transaction is closed');
          return pg._runExclusiveQuery(() => run(text, params, options, true));
        };
        return txQuery;
      },
    });

  return new Proxy(pg, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'transaction') {
        return <T>(callback: (tx: Transaction) => Promise<T>) => target.transaction((tx) => callback(inTransaction(tx)));
      }
      // PGlite keeps its state in private fields: its methods must run on the instance itself.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
