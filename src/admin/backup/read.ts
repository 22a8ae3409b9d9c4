/**
 * Reads a snapshot (format.ts) as a stream: its header, then each table's rows in batches, checking
 * as it goes that every table is there in the header's order with the header's count and checksum.
 * Anything else (not gzip, cut short, a changed byte, a table missing or extra) throws SnapshotError.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { FORMAT, FORMAT_VERSION, type Header } from './format.ts';

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export interface Snapshot {
  header: Header;
  /** Each table of the header in turn, its rows in batches; checked against the header as they are read. */
  tables(batchBytes: number): AsyncGenerator<{ name: string; batches: AsyncGenerator<string[]> }>;
  close(): void;
}

export async function openSnapshot(file: string): Promise<Snapshot> {
  // Opened first, so that a missing file is told from a damaged one.
  const input = (await open(file, 'r')).createReadStream();
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  const reader = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  const next = async (): Promise<string | null> => {
    try {
      const line = await lines.next();
      return line.done === true ? null : line.value;
    } catch (error) {
      throw new SnapshotError(`${file} is damaged or cut short (${(error as Error).message})`, { cause: error });
    }
  };
  const close = () => {
    reader.close();
    input.destroy();
    gunzip.destroy();
  };
  try {
    const header = parseHeader(await next(), file);
    return { header, tables: (batchBytes) => tables(header, next, file, batchBytes), close };
  } catch (error) {
    close();
    throw error;
  }
}

function parseHeader(line: string | null, file: string): Header {
  let header: Partial<Header> | null = null;
  try {
    header = line === null ? null : (JSON.parse(line) as Partial<Header>);
  } catch {
    // not JSON: refused below
  }
  if (header?.format !== FORMAT) throw new SnapshotError(`${file} is not a Recomp backup`);
  if (header.format_version !== FORMAT_VERSION)
    throw new SnapshotError(
      `${file} is in backup format ${String(header.format_version)}; this release reads format ${FORMAT_VERSION}: restore it with the release that made it or a newer one`,
    );
  const valid =
    typeof header.schema?.version === 'number' &&
    Array.isArray(header.tables) &&
    header.tables.every((table) => typeof table.name === 'string' && typeof table.rows === 'number' && typeof table.sha256 === 'string');
  if (!valid) throw new SnapshotError(`${file} has a damaged header`);
  return header as Header;
}

async function* tables(header: Header, next: () => Promise<string | null>, file: string, batchBytes: number) {
  for (const table of header.tables) {
    const marker = await next();
    if (marker !== JSON.stringify({ table: table.name }))
      throw new SnapshotError(`${file} is damaged or cut short: the rows of table ${table.name} are not where the header says`);
    yield { name: table.name, batches: rows(table, next, file, batchBytes) };
  }
  if ((await next()) !== null) throw new SnapshotError(`${file} is damaged: it holds more than its header lists`);
}

/** A table's rows by the header's count; consumed to the end before the next table is read. */
async function* rows(table: Header['tables'][number], next: () => Promise<string | null>, file: string, batchBytes: number) {
  const hash = createHash('sha256');
  let batch: string[] = [];
  let bytes = 0;
  for (let read = 0; read < table.rows; read++) {
    const line = await next();
    if (line === null) throw new SnapshotError(`${file} is cut short in table ${table.name} (${read} of ${table.rows} rows)`);
    hash.update(`${line}\n`);
    batch.push(line);
    bytes += line.length;
    if (bytes >= batchBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (hash.digest('hex') !== table.sha256)
    throw new SnapshotError(`${file} is damaged: the checksum of table ${table.name} does not match`);
  if (batch.length > 0) yield batch;
}
