/**
 * The tasks `backup`, `restore` and `move` (docs/DEPLOY.md, "Backups and upgrades"). Paths arrive
 * absolute: a task may run inside the service, whose working folder is not the command's.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DatabaseHandle, openEmbedded, openPostgres } from '../../db/client.ts';
import { type AdminContext, AdminError } from '../context.ts';
import { restoreBackup, type RestoreSummary } from './restore.ts';
import { type BackupSummary, writeBackup } from './write.ts';

const backup = async (ctx: AdminContext, { out }: { out: string }): Promise<void> => {
  if (existsSync(out)) throw new AdminError(`${out} exists: name another file with --out, or remove it`, 2);
  const summary = (await writeBackup(ctx.database, out))!;
  printBackup(ctx, summary);
};

const restore = async (ctx: AdminContext, { file, force }: { file: string; force: boolean }): Promise<void> => {
  printRestore(ctx, await restoreBackup(ctx.database, file, { force }));
};

/** Where `move --to` goes: a PostgreSQL URL, or `embedded:DIR`. */
type Destination = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

export function parseDestination(to: string): Destination {
  if (/^postgres(ql)?:\/\//.test(to)) return { kind: 'postgres', url: to };
  if (to.startsWith('embedded:') && to.length > 'embedded:'.length)
    return { kind: 'pglite', dir: path.resolve(to.slice('embedded:'.length)) };
  throw new AdminError(`--to ${to}: give postgres://… or embedded:DIR`, 2);
}

const move = async (ctx: AdminContext, { to, force }: { to: string; force: boolean }): Promise<void> => {
  const destination = parseDestination(to);
  const same =
    destination.kind === 'postgres'
      ? destination.url === ctx.config.databaseUrl
      : ctx.config.databaseUrl === null && destination.dir === ctx.config.dataDir;
  if (same) throw new AdminError(`--to ${to} is the database the configuration already uses`, 2);
  const folder = await mkdtemp(path.join(tmpdir(), 'recomp-move-'));
  try {
    const file = path.join(folder, 'snapshot.ndjson.gz');
    printBackup(ctx, (await writeBackup(ctx.database, file))!);
    const target = await openDestination(ctx, destination);
    try {
      printRestore(ctx, await restoreBackup(target, file, { force }));
    } finally {
      await target.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  printConfiguration(ctx, destination);
};

async function openDestination(ctx: AdminContext, destination: Destination): Promise<DatabaseHandle> {
  if (destination.kind === 'pglite') return openEmbedded(destination.dir, { migrate: false });
  return openPostgres(destination.url, {
    poolSize: 1,
    migrate: false,
    connectTimeoutSeconds: ctx.config.database.connectTimeoutSeconds,
  });
}

function printBackup(ctx: AdminContext, summary: BackupSummary): void {
  const rows = summary.tables.reduce((n, table) => n + table.rows, 0);
  ctx.print(
    `backup: ${summary.file} (${summary.bytes} bytes), ${rows} rows in ${summary.tables.length} tables, ` +
      `schema version ${summary.schema.version} (${summary.schema.migration ?? 'none'}), as of ${summary.createdAt}`,
  );
}

function printRestore(ctx: AdminContext, summary: RestoreSummary): void {
  const { header } = summary;
  ctx.print(`restore: snapshot of ${header.created_at} from ${header.source}, schema version ${header.schema.version}`);
  const width = Math.max(...summary.tables.map((table) => table.name.length));
  for (const table of summary.tables) ctx.print(`  ${table.name.padEnd(width)}  ${String(table.rows).padStart(9)} rows`);
  ctx.print(`checksums matched: ${summary.tables.length} tables, as written and as read back from the database`);
  if (summary.migrated.length > 0) ctx.print(`migrated to this release's schema: ${summary.migrated.join(', ')}`);
}

/** What the configuration must say for the service to use the database the data moved to (src/secret.ts for the key). */
function printConfiguration(ctx: AdminContext, destination: Destination): void {
  const { config } = ctx;
  ctx.print("moved. Now change the service's configuration and restart it:");
  if (destination.kind === 'postgres') {
    const shown = new URL(destination.url);
    if (shown.password !== '') shown.password = '***';
    ctx.print(`  set DATABASE_URL=${shown.toString()}`);
    ctx.print(`  the embedded database in ${config.dataDir} is no longer used: keep it until the service runs well on PostgreSQL`);
  } else {
    ctx.print('  unset DATABASE_URL (and DATABASE_MIGRATION_URL, DATABASE_REPLICA_URLS)');
    ctx.print(`  set RECOMP_DATA_DIR=${destination.dir}`);
  }
  const secret = path.join(config.dataDir, 'jwt-secret');
  if (config.jwtSecret !== null) ctx.print('  keep JWT_SECRET as it is, so sign-ins stay valid');
  else if (destination.kind === 'pglite' && existsSync(secret))
    ctx.print(
      `  copy ${secret} to ${path.join(destination.dir, 'jwt-secret')} before the service first starts there (the tokens' key: ` +
        'started without it, the service makes a new one and everyone signs in again)',
    );
  else if (destination.kind === 'postgres' && existsSync(secret))
    ctx.print(`  keep RECOMP_DATA_DIR=${config.dataDir}: it holds jwt-secret, the tokens' key (or set JWT_SECRET to its content)`);
}

export const backupTasks = { backup, restore, move };
