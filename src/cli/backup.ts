/** `recomp backup`, `recomp restore` and `recomp move` (docs/DEPLOY.md, "Backups and upgrades"). */
import path from 'node:path';
import type { Command } from 'commander';
import { parseDestination } from '../admin/backup/tasks.ts';
import { backupFileName } from '../admin/backup/write.ts';
import { runTask } from './run.ts';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .summary('write a snapshot of the whole database to a file')
    .description(
      'Write a consistent snapshot of every table to one file (gzipped NDJSON: a header with the schema version, ' +
        "each table's row count and checksum, then the rows). Works while the service runs; the same data gives the " +
        'same snapshot on PostgreSQL and on the embedded database. Keep it off-site, with the JWT secret.',
    )
    .option('--out <file>', 'where to write it, refused if it exists (default: recomp-<UTC time>.ndjson.gz in the current folder)')
    .action(async (options: { out?: string }) => {
      const out = options.out ?? backupFileName(new Date());
      await runTask('backup', { out: path.resolve(out) });
    });

  program
    .command('restore')
    .summary('replace the database with a snapshot')
    .description(
      'Restore a snapshot written by `recomp backup` into the configured database, all or nothing: every table ' +
        "is checked against the snapshot's counts and checksums, and a snapshot of an older schema is migrated to this " +
        "release's. A snapshot of a newer schema is refused. Stop the service first.\n\n" +
        'Exit status: 0 restored; 1 failed (a damaged file, a newer schema), the database left as it was; ' +
        '2 refused as given (no such file, a database holding data or in use, without --force).',
    )
    .argument('<file>', 'the snapshot (recomp-….ndjson.gz)')
    .option('--force', 'replace a database that holds data, or that a service is using', false)
    .action(async (file: string, options: { force: boolean }) => {
      await runTask('restore', { file: path.resolve(file), force: options.force });
    });

  program
    .command('move')
    .summary('copy the database to another one: PostgreSQL, or an embedded folder')
    .description(
      'Move the data to another database in one step (a backup, then a restore there) and print what to change in ' +
        'the configuration. The target must be empty unless --force. Stop the service first.\n\n' +
        'Examples:\n  recomp move --to postgres://recomp:secret@db.example:5432/recomp\n  recomp move --to embedded:/srv/recomp/data',
    )
    .requiredOption('--to <target>', 'postgres://… (a PostgreSQL database) or embedded:DIR (an embedded database in DIR)')
    .option('--force', 'replace a target that holds data', false)
    .action(async (options: { to: string; force: boolean }) => {
      parseDestination(options.to); // a bad --to is refused as given, before any database is looked at
      await runTask('move', { to: options.to, force: options.force });
    });
}
