/**
 * The account tasks of `recomp users` (src/cli/users.ts): list and show accounts, reset a password,
 * disable and enable an account, delete one. Their effects on a person are the API's own: a reset or
 * a disable ends every sign-in as a logout everywhere would, a delete removes what deleting the
 * account through the API removes (docs/SECURITY.md, "Administering accounts").
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { dailyIntake, dailyWeights, goals, imports, measurements, refreshTokens, users } from '../db/schema.ts';
import { removeAccount } from '../modules/account/service.ts';
import { createPasswordHasher } from '../modules/auth/passwords.ts';
import { revokeAllFamilies } from '../modules/auth/repository.ts';
import { PASSWORD_LENGTH } from '../modules/users/schemas.ts';
import { type AdminContext, AdminError } from './context.ts';
import { requireCurrentSchema } from './schema-state.ts';

/**
 * A column named with its table: drizzle names a select's columns bare, which inside a subquery on
 * another table would name that table's column of the same name.
 */
const q = (column: PgColumn) => sql`${column.table}.${sql.identifier(column.name)}`;
const userId = q(users.id);
const countOf = (column: PgColumn) => sql<number>`(select count(*)::int from ${column.table} where ${q(column)} = ${userId})`;
const tokens = {
  userId: q(refreshTokens.userId),
  familyId: q(refreshTokens.familyId),
  createdAt: q(refreshTokens.createdAt),
};

/** What is shown of an account: never its password hash. */
const summary = {
  id: users.id,
  email: users.email,
  fullName: users.fullName,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  disabledAt: users.disabledAt,
  // A sign-in starts a family of refresh tokens; each refresh adds one to it.
  lastSignInAt: sql<Date | null>`(select max(started) from (select min(${tokens.createdAt}) as started from ${refreshTokens}
    where ${tokens.userId} = ${userId} group by ${tokens.familyId}) as sign_ins)`.mapWith(refreshTokens.createdAt),
  lastSeenAt: sql<Date | null>`(select max(${tokens.createdAt}) from ${refreshTokens} where ${tokens.userId} = ${userId})`.mapWith(
    refreshTokens.createdAt,
  ),
  liveSignIns: sql<number>`(select count(*)::int from ${refreshTokens} where ${tokens.userId} = ${userId}
    and ${q(refreshTokens.revokedAt)} is null and ${q(refreshTokens.rotatedAt)} is null and ${q(refreshTokens.expiresAt)} > now())`,
  measurements: countOf(measurements.userId),
  goals: countOf(goals.userId),
  weighIns: countOf(dailyWeights.userId),
  intakeDays: countOf(dailyIntake.userId),
  imports: countOf(imports.userId),
};

async function accounts(ctx: AdminContext, where?: SQL) {
  await requireCurrentSchema(ctx.database);
  const query = ctx.database.db.select(summary).from(users);
  return (where ? query.where(where) : query).orderBy(asc(users.email));
}

type AccountRow = Awaited<ReturnType<typeof accounts>>[number];

/** The account with this email, matched as sign-in matches it (stored lower-cased); exit 1 when none. */
async function accountOf(ctx: AdminContext, email: string): Promise<AccountRow> {
  const [account] = await accounts(ctx, sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  if (!account) throw new AdminError(`no account with the email ${email}`);
  return account;
}

const isoTime = (value: Date | null): string | null => value?.toISOString() ?? null;
/** For people: to the minute, in UTC. */
const shortTime = (value: Date | null): string => (value === null ? '-' : `${value.toISOString().slice(0, 16).replace('T', ' ')}Z`);

const toJson = (a: AccountRow) => ({
  id: a.id,
  email: a.email,
  full_name: a.fullName,
  created_at: isoTime(a.createdAt),
  updated_at: isoTime(a.updatedAt),
  last_sign_in_at: isoTime(a.lastSignInAt),
  last_seen_at: isoTime(a.lastSeenAt),
  disabled_at: isoTime(a.disabledAt),
  live_sign_ins: a.liveSignIns,
  data: { measurements: a.measurements, goals: a.goals, weigh_ins: a.weighIns, intake_days: a.intakeDays, imports: a.imports },
});

/** Columns padded to their widest cell; numbers to the right. */
function table(header: string[], rows: (string | number)[][]): string[] {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  return cells.map((row) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

async function list(ctx: AdminContext, args: { json?: boolean }): Promise<void> {
  const rows = await accounts(ctx);
  if (args.json) return ctx.print(JSON.stringify(rows.map(toJson), null, 2));
  if (rows.length === 0) return ctx.print('No accounts yet.');
  const header = ['EMAIL', 'NAME', 'CREATED', 'LAST SIGN-IN', 'DISABLED', 'MEASUREMENTS', 'GOALS', 'WEIGH-INS', 'INTAKE DAYS', 'IMPORTS'];
  const lines = table(
    header,
    rows.map((a) => [
      a.email,
      a.fullName,
      shortTime(a.createdAt),
      shortTime(a.lastSignInAt),
      a.disabledAt ? shortTime(a.disabledAt) : 'no',
      a.measurements,
      a.goals,
      a.weighIns,
      a.intakeDays,
      a.imports,
    ]),
  );
  for (const line of lines) ctx.print(line);
  ctx.print(`${rows.length} account(s), ${rows.filter((a) => a.disabledAt).length} disabled`);
}

async function show(ctx: AdminContext, args: { email: string; json?: boolean }): Promise<void> {
  const a = await accountOf(ctx, args.email);
  if (args.json) return ctx.print(JSON.stringify(toJson(a), null, 2));
  const lines: [string, string | number][] = [
    ['email', a.email],
    ['name', a.fullName],
    ['id', a.id],
    ['created', shortTime(a.createdAt)],
    ['updated', shortTime(a.updatedAt)],
    ['last sign-in', shortTime(a.lastSignInAt)],
    ['last seen', shortTime(a.lastSeenAt)],
    ['disabled', a.disabledAt ? `since ${shortTime(a.disabledAt)}` : 'no'],
    ['live sign-ins', a.liveSignIns],
    ['measurements', a.measurements],
    ['goals', a.goals],
    ['weigh-ins', a.weighIns],
    ['intake days', a.intakeDays],
    ['imports', a.imports],
  ];
  for (const [name, value] of lines) ctx.print(`${`${name}:`.padEnd(15)}${value}`);
}

/** A one-time password: 18 random bytes, 24 characters of base64url (144 bits). */
const generatedPassword = () => randomBytes(18).toString('base64url');

/** The API's rule for a new password (Password in src/modules/users/schemas.ts), counted as its validator (Ajv) counts: by code point. */
function checkPassword(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_LENGTH.min || length > PASSWORD_LENGTH.max) {
    throw new AdminError(`the password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long (got ${length})`, 2);
  }
}

/** Every sign-in of the person ends: the next request with one of their access tokens gets 401. */
async function endSignIns(ctx: AdminContext, userId: string, now: Date): Promise<void> {
  await revokeAllFamilies(ctx.database.db, userId, now);
  ctx.forgetSessions?.(userId);
}

async function resetPassword(ctx: AdminContext, args: { email: string; password?: string }): Promise<void> {
  if (args.password !== undefined) checkPassword(args.password);
  const account = await accountOf(ctx, args.email);
  const password = args.password ?? generatedPassword();
  const passwordHash = await createPasswordHasher(ctx.config.argon2).hash(password);
  const now = new Date();
  await ctx.database.db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, account.id));
  await endSignIns(ctx, account.id, now);
  ctx.print(`The password of ${account.email} was reset; ${account.liveSignIns} sign-in(s) ended.`);
  if (args.password === undefined) {
    ctx.print(`One-time password: ${password}`);
    ctx.print('Give it to the person privately; they should change it after signing in (Settings, Password).');
  }
  if (account.disabledAt) ctx.print('The account is disabled: it cannot sign in until `recomp users enable`.');
}

async function disable(ctx: AdminContext, args: { email: string }): Promise<void> {
  const account = await accountOf(ctx, args.email);
  const now = new Date();
  // Set before the sign-ins end, so a sign-in racing with it is refused (auth/repository.ts, storeRefreshToken).
  const [changed] = await ctx.database.db
    .update(users)
    .set({ disabledAt: now })
    .where(and(eq(users.id, account.id), isNull(users.disabledAt)))
    .returning({ id: users.id });
  await endSignIns(ctx, account.id, now);
  ctx.print(
    changed
      ? `${account.email} is disabled: it cannot sign in, and its ${account.liveSignIns} sign-in(s) ended.`
      : `${account.email} was already disabled (since ${shortTime(account.disabledAt)}).`,
  );
}

async function enable(ctx: AdminContext, args: { email: string }): Promise<void> {
  const account = await accountOf(ctx, args.email);
  const [changed] = await ctx.database.db
    .update(users)
    .set({ disabledAt: null })
    .where(and(eq(users.id, account.id), isNotNull(users.disabledAt)))
    .returning({ id: users.id });
  ctx.print(changed ? `${account.email} is enabled: it can sign in again.` : `${account.email} was not disabled; nothing changed.`);
}

async function remove(ctx: AdminContext, args: { email: string }): Promise<void> {
  const account = await accountOf(ctx, args.email);
  if (!(await removeAccount(ctx.database.db, account.id))) throw new AdminError(`no account with the email ${args.email}`);
  ctx.forgetSessions?.(account.id);
  ctx.print(
    `Deleted ${account.email} and all its data: ${account.measurements} measurement(s), ${account.goals} goal(s), ` +
      `${account.weighIns} weigh-in(s), ${account.intakeDays} intake day(s), ${account.imports} import(s).`,
  );
}

export const userTasks = {
  'users.list': list,
  'users.show': show,
  'users.reset-password': resetPassword,
  'users.disable': disable,
  'users.enable': enable,
  'users.delete': remove,
};
