/**
 * Read replicas with read-your-writes across instances (DATABASE_REPLICA_URLS; docs/DEPLOY.md).
 *
 * The rule: after a user's write, the end of the primary's inserted WAL (LSN: at or past the end of
 * that write's commit record, whatever synchronous_commit says) is remembered for that user —
 * in Redis when configured, so every instance sees it, else in this process. A read of that user's
 * data goes to a replica only when the replica's replay position has reached it; otherwise to the
 * primary. Replay positions are polled a few times a second; a polled position is a lower bound
 * (replay only moves forward), so the check never admits a replica that is behind. Replicas that do
 * not answer, or lag the primary by more than `maxLagMs`, are skipped for everyone. Because of that
 * bound, a remembered position older than `maxLagMs` is reached by every replica still in use, so
 * positions are kept for twice that and then forgotten.
 */
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { growingCache } from '../infra/cache.ts';
import type { Database, DatabaseHandle } from './client.ts';

/** Where each user's last write ended in the primary's WAL, in bytes from 0/0. */
export interface WritePositions {
  /** Keeps the later of the known position and `lsn`. */
  remember(userId: string, lsn: bigint, ttlMs: number): Promise<void>;
  /** Rejects when the store cannot tell (the caller then reads from the primary). */
  recall(userId: string): Promise<bigint | null>;
}

export function memoryWritePositions(maxUsers = 100_000): WritePositions {
  const positions = growingCache<string, bigint>(maxUsers, { ttlAutopurge: false });
  return {
    async remember(userId, lsn, ttlMs) {
      const known = positions.get(userId);
      positions.set(userId, known !== undefined && known > lsn ? known : lsn, { ttl: ttlMs });
    },
    async recall(userId) {
      return positions.get(userId) ?? null;
    },
  };
}

// Compared as Lua numbers (doubles): exact up to 2^53 bytes of WAL, 8 PiB.
const REMEMBER = `local known = redis.call('GET', KEYS[1])
if known and tonumber(known) >= tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1`;

export function redisWritePositions(redis: Redis, prefix = 'recomp:wal:'): WritePositions {
  return {
    async remember(userId, lsn, ttlMs) {
      await redis.eval(REMEMBER, 1, prefix + userId, lsn.toString(), ttlMs);
    },
    async recall(userId) {
      const known = await redis.get(prefix + userId);
      return known === null ? null : BigInt(known);
    },
  };
}

export interface ReadRouter {
  /** The database to read `userId`'s data from: a replica that has replayed their last write, or the primary. */
  reader(userId: string): Promise<Database>;
  /** Call after a write of `userId` commits (before answering): remembers where the primary's WAL is. */
  wrote(userId: string): Promise<void>;
  /** Reads sent to each kind of database since start (for /metrics). */
  routed: { primary: number; replica: number };
  /** Replicas configured, and those answering and close enough to the primary to be read from now. */
  replicas(): { configured: number; usable: number };
  close(): void;
}

export interface ReadRouterOptions {
  primary: DatabaseHandle;
  replicas: DatabaseHandle[];
  positions: WritePositions;
  log: FastifyBaseLogger;
  pollMs?: number;
  maxLagMs?: number;
}

interface ReplicaState {
  handle: DatabaseHandle;
  replayed: bigint | null;
  checkedAt: number;
  polling: boolean;
}

/** A WAL page header's size on 64-bit builds (PostgreSQL's SizeOfXLogShortPHD; SizeOfXLogLongPHD on a segment's first page). */
const PAGE_HEADER = 24n;
const SEGMENT_HEADER = 40n;

/**
 * Where the WAL inserted so far ends, from pg_current_wal_insert_lsn(), which names where the next
 * record will start. When the last record ended exactly at a page boundary, that is past the next
 * page's header, while a standby that has replayed everything reports the boundary itself (its
 * replay position is the end of the last record): the write would look unreplayed until more WAL
 * came — on an idle primary, for seconds. No record ends inside a page header, so this is exact.
 */
export function insertedUpTo(insert: bigint, pageSize: bigint, segmentSize: bigint): bigint {
  const header = insert % segmentSize < pageSize ? SEGMENT_HEADER : PAGE_HEADER;
  return insert % pageSize === header ? insert - header : insert;
}

const POSITION = {
  inserted: `select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text as lsn,
    current_setting('wal_block_size') as page, pg_size_bytes(current_setting('wal_segment_size'))::text as segment`,
  replayed: `select pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::text as lsn`,
};

type PositionRow = { lsn: string | null; page?: string; segment?: string };

/** The primary's position (`inserted`) or a standby's (`replayed`), in bytes from 0/0. */
const lsnOf = async (db: Database, position: keyof typeof POSITION) => {
  const rows = await db.execute<PositionRow>(sql.raw(POSITION[position]));
  const row = (rows as unknown as PositionRow[])[0];
  if (row?.lsn === null || row?.lsn === undefined) throw new Error(`the ${position} WAL position is null: not a primary/standby`);
  const lsn = BigInt(row.lsn.split('.')[0]!);
  return position === 'inserted' ? insertedUpTo(lsn, BigInt(row.page!), BigInt(row.segment!)) : lsn;
};

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

export function createReadRouter(options: ReadRouterOptions): ReadRouter {
  const { primary, positions, log } = options;
  const pollMs = options.pollMs ?? 200;
  const maxLagMs = options.maxLagMs ?? 10_000;
  const replicas: ReplicaState[] = options.replicas.map((handle) => ({ handle, replayed: null, checkedAt: 0, polling: false }));
  /** The primary's position over the last `maxLagMs` (and a little more), oldest first. */
  const history: { at: number; lsn: bigint }[] = [];
  const routed = { primary: 0, replica: 0 };
  let next = 0;

  const poll = async () => {
    const at = Date.now();
    await within(lsnOf(primary.db, 'inserted'), pollMs * 5).then(
      (lsn) => {
        history.push({ at, lsn });
        while (history.length > 1 && history[1]!.at <= at - maxLagMs) history.shift();
      },
      () => {},
    );
    await Promise.all(
      replicas.map(async (replica, index) => {
        if (replica.polling) return;
        replica.polling = true;
        try {
          replica.replayed = await within(lsnOf(replica.handle.db, 'replayed'), pollMs * 5);
          if (replica.checkedAt === 0 || Date.now() - replica.checkedAt > pollMs * 5) log.info({ replica: index }, 'read replica in use');
          replica.checkedAt = Date.now();
        } catch (error) {
          if (replica.replayed !== null) log.warn({ err: error, replica: index }, 'read replica skipped: it does not answer');
          replica.replayed = null;
        } finally {
          replica.polling = false;
        }
      }),
    );
  };
  const timer = replicas.length > 0 ? setInterval(() => void poll(), pollMs) : null;
  timer?.unref();
  if (replicas.length > 0) void poll();

  /** Replicas answering, and no further behind than the primary was `maxLagMs` ago. */
  const usable = () => {
    const now = Date.now();
    const floor = history.findLast((s) => s.at <= now - maxLagMs) ?? history[0];
    if (!floor) return [];
    return replicas.filter((r) => r.replayed !== null && now - r.checkedAt <= pollMs * 5 && r.replayed >= floor.lsn);
  };

  const fromPrimary = () => {
    routed.primary += 1;
    return primary.db;
  };

  return {
    routed,
    replicas: () => ({ configured: replicas.length, usable: usable().length }),
    async reader(userId) {
      const candidates = usable();
      if (candidates.length === 0) return fromPrimary();
      let written: bigint | null;
      try {
        written = await positions.recall(userId);
      } catch {
        return fromPrimary();
      }
      const fresh = written === null ? candidates : candidates.filter((r) => r.replayed! >= written);
      if (fresh.length === 0) return fromPrimary();
      routed.replica += 1;
      return fresh[next++ % fresh.length]!.handle.db;
    },
    async wrote(userId) {
      if (replicas.length === 0) return;
      try {
        await positions.remember(userId, await lsnOf(primary.db, 'inserted'), maxLagMs * 2);
      } catch (error) {
        log.warn(
          { err: error, userId },
          'could not remember the position of a write: this user may briefly read an older state from a replica',
        );
      }
    },
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
