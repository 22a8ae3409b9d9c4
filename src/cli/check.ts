/**
 * `recomp check`: the configuration, the database (which, whether it answers, its migrations), the
 * embedded database's lock, free disk and the JWT secret, each ok, warn or fail (src/admin/check.ts).
 * Every line is tried even when an earlier one failed; any failure exits 1.
 */
import type { Command } from 'commander';
import {
  databaseFinding,
  diskFindings,
  embeddedExists,
  type Finding,
  formatFinding,
  jwtSecretFinding,
  loadConfigFinding,
  lockFinding,
} from '../admin/check.ts';
import { AdminError } from '../admin/context.ts';
import { runTask } from './run.ts';

/** Prints every finding; true when one failed. */
async function check(print: (line: string) => void): Promise<boolean> {
  let failed = false;
  const report = (finding: Finding) => {
    failed ||= finding.level === 'fail';
    print(formatFinding(finding));
  };
  const { config, finding } = loadConfigFinding(process.env);
  report(finding);
  if (config === null) return true;
  report(databaseFinding(config));
  const embedded = config.databaseUrl === null;
  if (embedded) report(await lockFinding(config));
  if (embedded && !(await embeddedExists(config))) {
    report({ level: 'warn', item: 'database answers', detail: 'no embedded database yet: the service creates it at its first start' });
  } else {
    try {
      await runTask('check.database', {});
    } catch (error) {
      // The task printed its failing line; a database that could not even be opened has none yet.
      if (!(error instanceof AdminError))
        report({ level: 'fail', item: 'database answers', detail: `cannot be opened: ${(error as Error).message}` });
      failed = true;
    }
  }
  const folders = [
    ...(embedded ? [{ label: 'data folder', dir: config.dataDir }] : []),
    ...(config.backup ? [{ label: 'BACKUP_DIR', dir: config.backup.dir }] : []),
  ];
  for (const disk of await diskFindings(folders)) report(disk);
  report(await jwtSecretFinding(config));
  return failed;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'Check the setup: configuration, database, migrations, embedded lock, free disk, JWT secret. Run it first when something is wrong.',
    )
    .addHelpText(
      'after',
      `
Each line says ok, warn or fail; the command exits 1 when any line fails, 0 otherwise. It reads the
same environment as the service, so run it as the service runs (same user, same variables):
  recomp check
  docker compose exec recomp recomp check`,
    )
    .action(async () => {
      if (await check((line) => console.log(line))) throw new AdminError('some checks failed (the lines marked fail)');
    });
}
