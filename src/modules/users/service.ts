import type { Static } from 'typebox';
import { ageInYears, type Profile, roundStored } from '../../domain/index.ts';
import type { AppContext } from '../../core/context.ts';
import { isCalendarDate } from '../../core/schemas.ts';
import { type FieldError, unauthorized, unprocessable } from '../../core/errors.ts';
import { findUserById, insertUser, type NewUser, updateUser, type UserRow } from './repository.ts';
import { ActivityInput, MethodInput, type RegisterBody, SexInput, type UpdateProfileBody, type User } from './schemas.ts';

/** Registration requires an age of 13–120 on today's UTC date (docs/DESIGN.md, 'Time'). */
/** The profile the domain plans with, as of `at` (the age moves on). */
export function profileOf(user: UserRow, at: Date): Profile {
  return { sex: user.gender, heightCm: user.heightCm, ageYears: ageInYears(user.dateOfBirth, at), activityLevel: user.activityLevel };
}

const AGE_RANGE = { min: 13, max: 120 } as const;

function checkDateOfBirth(dateOfBirth: string, now: Date): FieldError | null {
  const field = 'body.date_of_birth';
  if (!isCalendarDate(dateOfBirth)) return { field, message: 'must be a real calendar date (YYYY-MM-DD)' };
  const age = ageInYears(dateOfBirth, now);
  if (age < AGE_RANGE.min || age > AGE_RANGE.max) {
    return { field, message: `age must be between ${AGE_RANGE.min} and ${AGE_RANGE.max} years (got ${age})` };
  }
  return null;
}

/** The profile fields of a registration or an update, checked (age) and normalised for storage. */
export function profileChanges(body: Static<typeof UpdateProfileBody>, now: Date): Partial<NewUser> {
  if (body.date_of_birth !== undefined) {
    const problem = checkDateOfBirth(body.date_of_birth, now);
    if (problem) throw unprocessable('The request has fields that failed validation', [problem]);
  }
  return {
    ...(body.full_name !== undefined && { fullName: body.full_name.trim() }),
    ...(body.date_of_birth !== undefined && { dateOfBirth: body.date_of_birth }),
    ...(body.gender !== undefined && { gender: SexInput.normalize(body.gender) }),
    ...(body.height_cm !== undefined && { heightCm: roundStored(body.height_cm) }),
    ...(body.preferred_calculation_method !== undefined && {
      preferredCalculationMethod: MethodInput.normalize(body.preferred_calculation_method),
    }),
    ...(body.activity_level !== undefined && { activityLevel: ActivityInput.normalize(body.activity_level) }),
    ...(body.units !== undefined && { units: body.units }),
  };
}

export async function registerUser(ctx: AppContext, body: Static<typeof RegisterBody>, address: string): Promise<UserRow> {
  const profile = profileChanges(body, ctx.now());
  await ctx.signupLimiter.take(address);
  const passwordHash = await ctx.passwords.hash(body.password);
  // A concurrent registration of the same address loses on the unique index: 409, not 500.
  const user = await insertUser(ctx.db, {
    ...(profile as Required<typeof profile>),
    units: body.units ?? 'metric',
    email: body.email.toLowerCase(),
    passwordHash,
  });
  ctx.profiles.remember(user);
  return user;
}

/** The caller's row; a token whose user was deleted is no longer a valid credential. */
export async function currentUser(ctx: AppContext, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user) {
    ctx.profiles.forget(userId);
    throw unauthorized('Could not validate credentials');
  }
  ctx.profiles.remember(user);
  return user;
}

export async function updateProfile(ctx: AppContext, userId: string, body: Static<typeof UpdateProfileBody>): Promise<UserRow> {
  const changes = profileChanges(body, ctx.now());
  const user = Object.keys(changes).length === 0 ? await findUserById(ctx.db, userId) : await updateUser(ctx.db, userId, changes);
  if (!user) throw unauthorized('Could not validate credentials');
  ctx.profiles.remember(user);
  return user;
}

export function toUser(row: UserRow): Static<typeof User> {
  return {
    id: row.id,
    email: row.email,
    full_name: row.fullName,
    date_of_birth: row.dateOfBirth,
    gender: row.gender,
    height_cm: row.heightCm,
    preferred_calculation_method: row.preferredCalculationMethod,
    activity_level: row.activityLevel,
    units: row.units,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
