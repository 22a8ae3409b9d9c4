/** `recomp status`: the configured database, its migrations and its number of accounts (src/admin/status.ts). */
import type { Command } from 'commander';
import { runTask } from './run.ts';

export function registerStatusCommands(program: Command) {
  program
    .command('status')
    .description('Show the configured database, how many migrations it has applied, and how many accounts it holds')
    .action(() => runTask('status', {}));
}
