/**
 * Writes a snapshot (format.ts) of every table, read in one REPEATABLE READ read-only transaction:
 * one consistent moment, while the service goes on writing. The header needs each table's count and
 * checksum, which are known only once its rows are written, so the tables go first into a gzip of
 * their own; the file is then the header's gzip followed by those bytes (gzip members may follow one
 * another: a reader sees one stream). Written under a temporary name in the same folder, flushed to
 * disk, then renamed: a file under the final name is always whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import type { DatabaseHandle } from '../../db/client.ts';
import { databaseSchema, type SchemaVersion } from '../../db/schema-version.ts';
import { FORMAT, FORMAT_VERSION, type Header, portableSession, publicTables, RowsDigest, rowLines, type TableSummary } from './format.ts';

export interface BackupSummary {
  file: string;
  bytes: number;
  createdAt: string;
  schema: SchemaVersion;
  tables: TableSummary[];
}

/** `20260107T030000Z`: a moment in UTC to the second, as backup file names carry it. */
export function fileStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `recomp-20260107T030000Z.ndjson.gz`: a backup started at `at` (`recomp backup`, the scheduled ones). */
export const backupFileName = (at: Date) => `recomp-${fileStamp(at)}.ndjson.gz`;

/** The advisory lock of the service's scheduled backups: one instance at a time writes one. */
export const SCHEDULED_BACKUP_LOCK = 0x7265636f6d62; // "recomb", beside the migrations' "recomp"

/** The name a snapshot is written under until it is whole (a scheduler removes leftovers of this pattern). */
const partialName = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);

/**
 * With `lockKey`, the snapshot's transaction first takes that advisory lock; when another holds it
 * (another instance is writing one), nothing is written and the answer is null.
 */
export async function writeBackup(
  database: DatabaseHandle,
  file: string,
  options: { lockKey?: number } = {},
): Promise<BackupSummary | null> {
  const partial = partialName(file);
  const body = `${partial}.tables`;
  try {
    const header = await database.raw('snapshot', async (query): Promise<Header | null> => {
      if (options.lockKey !== undefined) {
        const [lock] = await query('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [options.lockKey]);
        if (lock?.locked !== true) return null;
      }
      await portableSession(query);
      const [moment] = await query(`SELECT to_char(now(), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`);
      const { version, migration } = await databaseSchema(query);
      const tables: Header['tables'] = [];
      const lines = async function* () {
        for (const table of await publicTables(query)) {
          yield `${JSON.stringify({ table: table.name })}\n`;
          const digest = new RowsDigest();
          for await (const batch of rowLines(query, table)) yield digest.add(batch);
          tables.push({
            name: table.name,
            columns: table.columns.map((column) => column.name),
            rows: digest.rows,
            sha256: digest.sha256(),
          });
        }
      };
      await pipeline(lines, createGzip(), createWriteStream(body, { mode: 0o600 }));
      const header: Header = {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        created_at: String(moment!.at),
        source: database.kind,
        schema: { version, migration },
        tables,
      };
      // Still inside the transaction, so that its lock is held until the file is there under its
      // name: an instance that finds the lock free then also finds this backup in the folder.
      await assemble(partial, header, body);
      await rename(partial, file);
      await syncFolder(path.dirname(file));
      return header;
    });
    if (header === null) return null;
    return {
      file,
      bytes: (await stat(file)).size,
      createdAt: header.created_at,
      schema: header.schema,
      tables: header.tables.map(({ name, rows, sha256 }) => ({ name, rows, sha256 })),
    };
  } finally {
    await rm(body, { force: true });
    await rm(partial, { force: true });
  }
}

/** The file: the header's gzip, then the tables' gzip, flushed to disk. */
async function assemble(partial: string, header: Header, body: string): Promise<void> {
  const out = await open(partial, 'w', 0o600);
  try {
    await out.write(gzipSync(`${JSON.stringify(header)}\n`));
    for await (const chunk of createReadStream(body)) await out.write(chunk as Buffer);
    await out.sync();
  } finally {
    await out.close();
  }
}

/** A rename is durable once its folder is flushed. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
