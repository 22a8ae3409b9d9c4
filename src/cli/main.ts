#!/usr/bin/env -S node --liftoff-only --max-semi-space-size=4
/**
 * `recomp`: the self-hoster's command (package.json "bin": `npx recomp --help` in a checkout, `recomp`
 * in the image). Its commands use the service's own configuration (DATABASE_URL, or the embedded
 * database in RECOMP_DATA_DIR) and print what they did. Exit status: 0 done, 1 failed, 2 refused as
 * given (an unknown command or option, a missing argument, bad configuration). It runs with the
 * service's memory flags (package.json "start"): an embedded database opened here is PGlite too.
 */
import { Command, CommanderError } from 'commander';
import { AdminError } from '../admin/context.ts';
import { registerStatusCommands } from './status.ts';
import { registerCheckCommand } from './check.ts';
import { registerUserCommands } from './users.ts';
import { registerBackupCommands } from './backup.ts';

const program = new Command('recomp')
  .description('Administer a Recomp service: its database, its backups and its accounts.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
program.addHelpText(
  'after',
  '\nConfiguration comes from the same environment as the service: DATABASE_URL for a PostgreSQL server, ' +
    'otherwise the embedded database in RECOMP_DATA_DIR (default ./data).',
);
registerUserCommands(program);
registerCheckCommand(program);
registerStatusCommands(program);
registerBackupCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end with code 0; every other refusal of the command line with 2.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof AdminError) {
    console.error(`recomp: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    console.error(`recomp: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  }
}
