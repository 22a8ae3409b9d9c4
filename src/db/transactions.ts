/**
 * Transactions on a reserved connection, for both pool modes; and postgres.js's settings behind a
 * pooler in transaction mode (PgBouncer, DATABASE_POOL_MODE=transaction).
 *
 * BEGIN goes out with the transaction's first statements. postgres.js's own `begin` waits for
 * BEGIN's answer before it runs the body: a round trip of its own, and on a virtual machine a round
 * trip is expensive even on loopback (each write to PostgreSQL wakes a server process: 50–250 µs of
 * the service's CPU, docs/PERFORMANCE.md). Here BEGIN is written and the body starts at once, so its
 * first statements leave in the same write and a check-in makes three round trips instead of four.
 * A BEGIN that fails on a healthy connection does not exist (it takes no lock and reads nothing); if
 * the connection fails, the body's statements fail with it. Either way the error reaches the
 * caller and the transaction is rolled back.
 *
 * Transaction pooling: postgres.js pipelines: while a query runs, the next query of the pool may be
 * written to the same connection before the first one's ReadyForQuery has come back. A
 * transaction-mode pooler hands the server connection back to its pool at that ReadyForQuery
 * (idle), while the server is still answering the pipelined query, so the answer reaches no client
 * or the wrong one. PgBouncer 1.18 logs "got packet 'T' from server when not linked" and the client
 * waits for ever. Measured with 200 concurrent callers over 4 server connections
 * (test/scale/pipelining-probe.ts): a few hundred of 20,000 finished in 30 s, the rest hung; the same
 * hang on Supavisor is porsager/postgres#970. So in transaction mode nothing is pipelined
 * (`max_pipeline: 0`: a connection takes its next query only after the last one's ReadyForQuery),
 * and BEGIN's answer is awaited after all. That setting also breaks postgres.js's own `begin` (its
 * hook that reserves the connection runs only when pipelining is allowed: UNSAFE_TRANSACTION), which
 * is how this module began. Inside a transaction the pooler keeps the server connection, so queries
 * there are safe in any order; without pipelining they simply run one after another.
 */
import type postgres from 'postgres';
import { requireMembers } from './dependency-check.ts';

/** postgres.js settings for a transaction-mode pooler: no server-side prepared statements, no pipelining. */
export const TRANSACTION_POOLING = { prepare: false, max_pipeline: 0 } as const;

type Body<T> = (tx: postgres.TransactionSql) => T | Promise<T>;

/** What a body gives back, awaited as postgres.js's `begin` does: an array of queries as their results. */
async function settle<T>(body: Body<T>, tx: postgres.TransactionSql): Promise<T> {
  const result = await body(tx);
  return (Array.isArray(result) ? await Promise.all(result) : result) as T;
}

/**
 * A failure of the connection itself (closed, reset, ended) rather than of a statement. postgres.js
 * has already moved such a connection to its closed queue, to be reopened when next needed:
 * handing it back with `release()` would put the dead connection among the open ones.
 */
function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('CONNECTION_') || /^E[A-Z]+$/.test(code));
}

/**
 * The client with `begin` replaced (see above); everything else is the client's own. `wrap` is
 * applied to each transaction's handle (session mode: named prepared statements, client.ts).
 */
export function withOwnTransactions(
  client: postgres.Sql,
  wrap: (tx: postgres.TransactionSql) => postgres.TransactionSql = (tx) => tx,
): postgres.Sql {
  requireMembers('src/db/transactions.ts', 'postgres', 'sql', client, { begin: 'function', reserve: 'function', unsafe: 'function' });
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'begin') return <T>(body: Body<T>) => runTransaction(target, body, wrap);
      return Reflect.get(target, property, receiver);
    },
  });
}

async function runTransaction<T>(
  client: postgres.Sql,
  body: Body<T>,
  wrap: (tx: postgres.TransactionSql) => postgres.TransactionSql,
): Promise<T> {
  const reserved = await client.reserve();
  let lost = false;
  const run = async <R>(work: () => Promise<R>): Promise<R> => {
    try {
      return await work();
    } catch (error) {
      if (connectionLost(error)) lost = true;
      throw error;
    }
  };
  try {
    // Written now, answered later: the body's first statements join it (see above).
    const begun = run(() => reserved.unsafe('begin').execute());
    begun.catch(() => {}); // awaited below; a failure here fails the body's statements too
    const tx = wrap(transactionHandle(reserved, run));
    try {
      const result = await run(() => settle(body, tx));
      await begun;
      await run(() => reserved.unsafe('commit'));
      return result;
    } catch (error) {
      // A failed COMMIT has ended the transaction already; a ROLLBACK then only warns.
      if (!lost) await reserved.unsafe('rollback').catch(() => {});
      throw error;
    }
  } finally {
    if (!lost) reserved.release();
  }
}

/** The reserved connection as a transaction handle: with `savepoint`, which drizzle uses for nested transactions. */
function transactionHandle(reserved: postgres.ReservedSql, run: <R>(work: () => Promise<R>) => Promise<R>): postgres.TransactionSql {
  let savepoints = 0;
  const savepoint = async <T>(...args: unknown[]): Promise<T> => {
    const body = args.pop() as Body<T>;
    const name = `s${savepoints++}`;
    await run(() => reserved.unsafe(`savepoint ${name}`));
    try {
      const result = await run(() => settle(body, handle));
      await run(() => reserved.unsafe(`release savepoint ${name}`));
      return result;
    } catch (error) {
      await run(() => reserved.unsafe(`rollback to savepoint ${name}`)).catch(() => {});
      throw error;
    }
  };
  const handle = new Proxy(reserved, {
    get(target, property, receiver) {
      if (property === 'savepoint') return savepoint;
      return Reflect.get(target, property, receiver);
    },
  }) as unknown as postgres.TransactionSql;
  return handle;
}
