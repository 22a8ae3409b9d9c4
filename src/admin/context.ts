/**
 * What an administration task (a backup, a restore, a change to an account, a check) runs with. The
 * same task runs in the `recomp` command (src/cli/) with a database it opened itself, or inside the
 * running service, which alone may open an embedded database while it runs.
 */
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';

export interface AdminContext {
  config: Config;
  database: DatabaseHandle;
  /** One line of output for the person at the terminal. */
  print(line: string): void;
  /** Inside the service: forget its cached live sign-ins of a person at once (a reset or a disable). */
  forgetSessions?(userId: string): void;
}

/**
 * A task that cannot be done as asked: the message says why and what to do. The command prints it and
 * exits with `exitCode` (1: the task failed; 2: the command was refused as given).
 */
export class AdminError extends Error {
  override name = 'AdminError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
