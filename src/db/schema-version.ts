/**
 * Which schema this code knows and which one a database holds. The schema's version is the number
 * of migrations applied, in drizzle/'s order (meta/_journal.json); drizzle's migrator records each
 * applied migration in drizzle.__drizzle_migrations with its journal time (`created_at`), which is
 * how a migration of a newer release is told from one this code has.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** One statement with its parameters ($1, $2, …), answered with its rows as objects. */
export type RawQuery = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface SchemaVersion {
  /** How many migrations are applied (the database) or known (the code). */
  version: number;
  /** The last one's tag (`0006_user_units`); null when there is none or this code does not know it. */
  migration: string | null;
}

export interface Migration {
  tag: string;
  /** The journal's time of the migration, as drizzle records it in `created_at`. */
  when: number;
  hash: string;
  statements: string[];
}

/** This code's migrations, in order. */
export function migrations(): Migration[] {
  const journal = readJournal();
  return readMigrationFiles({ migrationsFolder }).map((migration, i) => ({
    tag: journal[i]!.tag,
    when: migration.folderMillis,
    hash: migration.hash,
    statements: migration.sql,
  }));
}

function readJournal(): { tag: string; when: number }[] {
  // readMigrationFiles reads the same journal but keeps no tags.
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries;
}

/** The schema this code builds: every migration in drizzle/. */
export function codeSchema(): SchemaVersion {
  const journal = readJournal();
  return { version: journal.length, migration: journal.at(-1)?.tag ?? null };
}

export interface DatabaseSchema extends SchemaVersion {
  /** Migrations applied that this code does not know: the database was migrated by a newer release. */
  unknown: number;
}

/**
 * What the database holds, read with `query` (DatabaseHandle.raw, in any transaction): version 0 for
 * a database never migrated.
 */
export async function databaseSchema(query: RawQuery): Promise<DatabaseSchema> {
  const [table] = await query(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`);
  if (table?.present !== true) return { version: 0, migration: null, unknown: 0 };
  const rows = await query('SELECT created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY created_at, id');
  const tags = new Map(readJournal().map((entry) => [String(entry.when), entry.tag]));
  const applied = rows.map((row) => tags.get(String(row.created_at)) ?? null);
  return {
    version: applied.length,
    migration: applied.at(-1) ?? null,
    unknown: applied.filter((tag) => tag === null).length,
  };
}

/**
 * Refuses a database migrated by a newer release: this code does not know its schema, and running
 * on it could lose or misread data. Otherwise answers what the database holds.
 */
export async function refuseNewerSchema(query: RawQuery): Promise<DatabaseSchema> {
  const found = await databaseSchema(query);
  if (found.unknown === 0) return found;
  const known = codeSchema();
  throw new Error(
    `the database has schema version ${found.version}, migrated by a newer release of Recomp (${found.unknown} of its ` +
      `migrations are unknown here); this release knows schema version ${known.version} (up to ${known.migration}) and does ` +
      'not run on a schema it does not know. Run the newer release again, or go back by restoring a backup made ' +
      'before the upgrade into an empty database with this release: `recomp restore FILE` (docs/DEPLOY.md, "Upgrades")',
  );
}
