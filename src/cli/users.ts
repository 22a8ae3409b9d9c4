/**
 * `recomp users …`: the accounts of the service (src/admin/users.ts does the work). An email is
 * matched as sign-in matches it, whatever its case.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { AdminError } from '../admin/context.ts';
import { runTask } from './run.ts';

/** The first line of standard input, without its line break. */
async function firstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}

/** Deleting asks first, at a terminal; elsewhere (a script, a pipe) only --yes says it was meant. */
async function confirmDeletion(email: string): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new AdminError(`not deleting ${email} without confirmation: pass --yes to delete the account and all its data`, 2);
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await terminal.question(`This deletes ${email} and all its data, for good. Type the email again to confirm: `);
    if (answer.trim().toLowerCase() !== email.trim().toLowerCase()) throw new AdminError('not confirmed; nothing was deleted');
  } finally {
    terminal.close();
  }
}

export function registerUserCommands(program: Command): void {
  const users = program
    .command('users')
    .description('List, inspect and change the accounts: reset a password, disable, enable or delete an account.')
    .addHelpText(
      'after',
      `
Examples:
  recomp users list
  recomp users show ana@example.com
  recomp users reset-password ana@example.com                 # prints a one-time password
  printf '%s\\n' "$NEW_PASSWORD" | recomp users reset-password ana@example.com --stdin
  recomp users disable ana@example.com
  recomp users enable ana@example.com
  recomp users delete ana@example.com --yes

A reset, a disable and a delete end every sign-in of the person at once. The database must be at this
version's schema: start the service once, or run \`npm run db:migrate\`, after an upgrade.`,
    );

  users
    .command('list')
    .description('Every account: email, name, when created, last sign-in, whether disabled, and how much data it holds.')
    .option('--json', 'print JSON for scripts instead of a table')
    .action(async (options: { json?: boolean }) => runTask('users.list', { json: options.json === true }));

  users
    .command('show')
    .description("One account's details and how much data it holds (never its password hash).")
    .argument('<email>', 'the email the person signs in with')
    .option('--json', 'print JSON for scripts')
    .action(async (email: string, options: { json?: boolean }) => runTask('users.show', { email, json: options.json === true }));

  users
    .command('reset-password')
    .description(
      'Set a new password and end every sign-in of the person. Prints a generated one-time password, ' +
        'or takes the password from the first line of standard input with --stdin.',
    )
    .argument('<email>', 'the email the person signs in with')
    .option('--stdin', 'read the new password (8 to 128 characters) from the first line of standard input')
    .addHelpText('after', '\nExample:\n  printf \'%s\\n\' "$NEW_PASSWORD" | recomp users reset-password ana@example.com --stdin')
    .action(async (email: string, options: { stdin?: boolean }) => {
      if (!options.stdin) return runTask('users.reset-password', { email });
      const password = await firstLine();
      if (password === '') throw new AdminError('no password on standard input (--stdin reads its first line)', 2);
      return runTask('users.reset-password', { email, password });
    });

  users
    .command('disable')
    .description('Stop the account from signing in (401 account_disabled) and end its sign-ins; its data stays.')
    .argument('<email>', 'the email the person signs in with')
    .action(async (email: string) => runTask('users.disable', { email }));

  users
    .command('enable')
    .description('Let a disabled account sign in again.')
    .argument('<email>', 'the email the person signs in with')
    .action(async (email: string) => runTask('users.enable', { email }));

  users
    .command('delete')
    .description('Delete the account and all its data, as deleting it from the app does. Asks first unless --yes.')
    .argument('<email>', 'the email the person signs in with')
    .option('-y, --yes', 'do not ask (needed when standard input is not a terminal)')
    .action(async (email: string, options: { yes?: boolean }) => {
      if (!options.yes) await confirmDeletion(email);
      return runTask('users.delete', { email });
    });
}
