import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { reusable } from '../../db/prepared.ts';
import { users } from '../../db/schema.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

const USER_FIELDS = [
  'email',
  'passwordHash',
  'fullName',
  'dateOfBirth',
  'gender',
  'heightCm',
  'preferredCalculationMethod',
  'activityLevel',
  'units',
] as const;
const insert = reusable('insert_user', (db) =>
  db
    .insert(users)
    .values(Object.fromEntries(USER_FIELDS.map((f) => [f, sql.placeholder(f)])) as unknown as NewUser)
    .returning(),
);

export async function insertUser(db: Executor, user: Pick<NewUser, (typeof USER_FIELDS)[number]>): Promise<UserRow> {
  const [row] = await insert(db).execute(Object.fromEntries(USER_FIELDS.map((f) => [f, user[f]])));
  return row!;
}

const userById = reusable('user_by_id', (db) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .limit(1),
);

export async function findUserById(db: Executor, id: string): Promise<UserRow | null> {
  const [row] = await userById(db).execute({ id });
  return row ?? null;
}

/** Looks up by the lower-cased address, the key of `users_email_lower_key`. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).limit(1);
  return row ?? null;
}

export async function updateUser(db: Executor, id: string, changes: Partial<NewUser>): Promise<UserRow | null> {
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row ?? null;
}

/**
 * Replaces a password hash, only if the stored hash is still the one just verified: a password
 * changed meanwhile is never overwritten. `updatedAt` when the person changed it (not for a rehash).
 */
export async function replacePasswordHash(
  db: Executor,
  id: string,
  verified: string,
  replacement: string,
  updatedAt?: Date,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ passwordHash: replacement, ...(updatedAt ? { updatedAt } : {}) })
    .where(and(eq(users.id, id), eq(users.passwordHash, verified)))
    .returning({ id: users.id });
  return rows.length === 1;
}
