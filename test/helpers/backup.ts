/** Empty databases of either engine, snapshots read back, and people's exports, for the backup suites. */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { expect } from 'vitest';
import type { Header } from '../../src/admin/backup/format.ts';
import { type DatabaseHandle, openPostgres, usePglite } from '../../src/db/client.ts';
import type { App } from '../../src/http/app.ts';
import { Api, PASSWORD } from './api.ts';

export type Engine = DatabaseHandle['kind'];

export interface EmptyDatabase {
  database: DatabaseHandle;
  /** postgres: its URL. */
  url?: string;
  /** Closes it (if still open) and removes it. */
  drop(): Promise<void>;
}

/**
 * A database with nothing in it, not even the schema: a new in-memory PGlite, or a new database on
 * the TEST_DATABASE_URL server.
 */
export async function emptyDatabase(engine: Engine): Promise<EmptyDatabase> {
  if (engine === 'pglite') {
    const database = await usePglite(await PGlite.create(), undefined, { migrate: false });
    let open = true;
    return {
      database: { ...database, close: async () => ((open = false), database.close()) },
      drop: async () => {
        if (open) await database.close();
      },
    };
  }
  const url = await createPostgresDatabase();
  const database = await openPostgres(url, { poolSize: 4, migrate: false });
  return { database, url, drop: async () => dropPostgresDatabase(url, database) };
}

export async function createPostgresDatabase(): Promise<string> {
  const server = process.env.TEST_DATABASE_URL!;
  const name = `recomp_backup_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(url: string, database?: DatabaseHandle): Promise<void> {
  await database?.close().catch(() => {});
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`).finally(() => admin.end());
}

/** The engine the round trips go through besides the suite's own: the other one when this machine has both. */
export function otherEngine(engine: Engine): Engine {
  if (engine === 'postgres') return 'pglite';
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/** A snapshot file as its header and the lines after it. */
export async function readSnapshotFile(file: string): Promise<{ header: Header; body: string }> {
  const text = gunzipSync(await readFile(file)).toString('utf8');
  const newline = text.indexOf('\n');
  return { header: JSON.parse(text.slice(0, newline)) as Header, body: text.slice(newline + 1) };
}

/**
 * The export (GET /api/v1/users/me/export) of every person whose email starts with `tag` (the suites of
 * a run share their PostgreSQL database), as the bytes the API answers, by email; each signs in with PASSWORD.
 */
export async function exportsOf(app: App, database: DatabaseHandle, tag: string): Promise<Map<string, string>> {
  const emails = await database.raw('snapshot', async (query) =>
    (await query('SELECT email FROM users WHERE starts_with(email, $1) ORDER BY email COLLATE "C"', [tag])).map((row) => String(row.email)),
  );
  const exports = new Map<string, string>();
  for (const email of emails) {
    const login = await new Api(app).post('/api/v1/auth/login', { email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/users/me/export',
      headers: { authorization: `Bearer ${login.body.access_token}` },
    });
    expect(response.statusCode).toBe(200);
    exports.set(email, response.body);
  }
  return exports;
}
