/**
 * Every administration task by name. The `recomp` command runs one by name with JSON arguments: in
 * its own process, or (an embedded database held by the running service) inside the service.
 */
import type { AdminContext } from './context.ts';
import { statusTasks } from './status.ts';
import { checkTasks } from './check.ts';
import { userTasks } from './users.ts';
import { backupTasks } from './backup/tasks.ts';

export type Task<A extends object = Record<string, never>> = (ctx: AdminContext, args: A) => Promise<void>;

export const tasks = {
  ...statusTasks,
  ...userTasks,
  ...checkTasks,
  ...backupTasks,
} satisfies Record<string, Task<never>>;

export type TaskName = keyof typeof tasks;
export type TaskArgs<N extends TaskName> = Parameters<(typeof tasks)[N]>[1];
