/**
 * The shims in src/db (prepared.ts, transactions.ts, pglite-statements.ts, pglite-text.ts) reach
 * into drizzle-orm, postgres.js and PGlite beyond their documented use. Each checks, when the
 * database opens, that what it touches is still there: an upgrade that moved it stops the service
 * with an error naming the dependency and the member, instead of leaving the shim doing nothing or
 * failing on the first request. test/unit/db-shims.test.ts checks the same and each shim's effect.
 */

type Kind = 'function' | 'object';

export function requireMembers(shim: string, dependency: string, owner: string, target: unknown, members: Record<string, Kind>): void {
  for (const [name, kind] of Object.entries(members)) {
    const value: unknown = target === null || target === undefined ? undefined : Reflect.get(target as object, name);
    if (typeof value !== kind || value === null) {
      throw new DependencyMoved(
        shim,
        dependency,
        `${owner}.${name} is ${value === undefined ? 'missing' : `a ${value === null ? 'null' : typeof value}`}, where a ${kind} was expected`,
      );
    }
  }
}

export class DependencyMoved extends Error {
  constructor(shim: string, dependency: string, what: string) {
    super(
      `${shim} does not fit the installed ${dependency}: ${what}. Adapt the shim to it (test/unit/db-shims.test.ts) or keep the version it was written for.`,
    );
    this.name = 'DependencyMoved';
  }
}
