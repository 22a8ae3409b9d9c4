import type { Static } from 'typebox';
import { ageInYears, calculateBodyFat, roundStored, type Sites } from '../../domain/index.ts';
import type { AppContext, BodyProfile } from '../../core/context.ts';
import { conflict, notFound, unprocessable } from '../../core/errors.ts';
import { parseTimestamp } from '../../core/schemas.ts';
import { FOREIGN_KEY_VIOLATION, sqlStateOf } from '../../db/errors.ts';
import { MethodInput } from '../users/schemas.ts';
import { currentUser } from '../users/service.ts';
import {
  deleteUnusedMeasurement,
  findOwnMeasurement,
  insertMeasurementIfProfile,
  listMeasurements,
  type MeasurementRow,
  type NewMeasurement,
} from './repository.ts';
import { type CreateMeasurementBody, type Measurement, SITE_FIELDS } from './schemas.ts';

/** The load journeys post +7 days; further ahead than 8 days is a mistake (docs/DESIGN.md, 'Time'). */
const MAX_FUTURE_DAYS = 8;

function measuredAt(value: string, dateOfBirth: string, now: Date): Date {
  const field = 'body.measured_at';
  const at = parseTimestamp(value);
  if (at === null)
    throw unprocessable('The request has fields that failed validation', [
      { field, message: 'must be a real date and time, with a UTC offset from -12:00 to +14:00' },
    ]);
  if (at.getTime() > now.getTime() + MAX_FUTURE_DAYS * 86_400_000) {
    throw unprocessable('The request has fields that failed validation', [
      { field, message: `must be at most ${MAX_FUTURE_DAYS} days in the future` },
    ]);
  }
  if (at.getTime() < Date.parse(`${dateOfBirth}T00:00:00Z`)) {
    throw unprocessable('The request has fields that failed validation', [{ field, message: 'must not be before the date of birth' }]);
  }
  return at;
}

/**
 * The row to insert, computed from the profile; refuses (422, 400) what that profile makes invalid:
 * a time before the date of birth, an implausible body fat.
 */
function measurementRow(profile: BodyProfile, userId: string, body: Static<typeof CreateMeasurementBody>, now: Date): NewMeasurement {
  const at = measuredAt(body.measured_at, profile.dateOfBirth, now);
  const method = MethodInput.normalize(body.calculation_method);
  const sites: Sites = {};
  for (const [wire, key] of Object.entries(SITE_FIELDS)) {
    const value = body[wire as keyof typeof SITE_FIELDS];
    // Computed from what the client sent; stored at numeric(5,2), as the response shows.
    if (value !== undefined && value !== null) sites[key] = value;
  }
  const bodyFat = calculateBodyFat({
    method,
    sex: profile.gender,
    heightCm: profile.heightCm,
    ageYears: ageInYears(profile.dateOfBirth, at),
    sites,
  });
  const stored = Object.fromEntries(Object.entries(sites).map(([key, value]) => [key, roundStored(value as number)]));
  return {
    userId,
    weightKg: roundStored(body.weight_kg),
    calculationMethod: method,
    ...stored,
    calculatedBodyFatPercentage: bodyFat,
    notes: body.notes ?? null,
    measuredAt: at,
  };
}

/**
 * One statement when this instance remembers the user's profile (users/profiles.ts): the insert
 * itself checks that the profile is still the user's. Otherwise, or when it is not, or when the
 * remembered profile refuses the measurement, the decision is made again from a fresh read.
 */
export async function createMeasurement(
  ctx: AppContext,
  userId: string,
  body: Static<typeof CreateMeasurementBody>,
): Promise<MeasurementRow> {
  let profile = ctx.profiles.get(userId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const fresh = profile === undefined;
    // currentUser refuses a deleted account (401) and remembers the profile it read.
    if (profile === undefined) profile = await currentUser(ctx, userId);
    let row: NewMeasurement;
    try {
      row = measurementRow(profile, userId, body, ctx.now());
    } catch (error) {
      if (fresh) throw error;
      profile = undefined; // perhaps only the remembered profile refuses it
      continue;
    }
    const inserted = await insertMeasurementIfProfile(ctx.db, row, profile);
    if (inserted) return inserted;
    ctx.profiles.forget(userId);
    profile = undefined;
  }
  throw conflict('The profile changed while the measurement was being saved; send it again', 'profile_changed');
}

export async function getMeasurement(ctx: AppContext, userId: string, id: string): Promise<MeasurementRow> {
  const row = await findOwnMeasurement(ctx.db, userId, id);
  if (!row) throw notFound('Measurement');
  return row;
}

const IN_USE = 'This measurement is the start of a goal or part of a check-in, so it stays with them';

/**
 * Deletes a measurement nothing refers to (a mistyped one, or one whose check-in was refused).
 * A goal's starting measurement and a check-in's stay: 409. A goal or check-in made from it while
 * it is being deleted makes the foreign key refuse the delete: the same 409.
 */
export async function deleteMeasurement(ctx: AppContext, userId: string, id: string): Promise<void> {
  let deleted: boolean;
  try {
    deleted = await deleteUnusedMeasurement(ctx.db, userId, id);
  } catch (error) {
    if (sqlStateOf(error) === FOREIGN_KEY_VIOLATION) throw conflict(IN_USE, 'measurement_in_use');
    throw error;
  }
  if (deleted) return;
  if (await findOwnMeasurement(ctx.db, userId, id)) throw conflict(IN_USE, 'measurement_in_use');
  throw notFound('Measurement');
}

export const listOwnMeasurements = async (ctx: AppContext, userId: string, limit: number, offset: number) =>
  listMeasurements(await ctx.reader(userId), userId, limit, offset);

export function toMeasurement(row: MeasurementRow): Static<typeof Measurement> {
  return {
    id: row.id,
    user_id: row.userId,
    weight_kg: row.weightKg,
    calculation_method: row.calculationMethod,
    waist_cm: row.waistCm,
    neck_cm: row.neckCm,
    hip_cm: row.hipCm,
    chest_mm: row.chestMm,
    abdomen_mm: row.abdomenMm,
    thigh_mm: row.thighMm,
    tricep_mm: row.tricepMm,
    suprailiac_mm: row.suprailiacMm,
    midaxillary_mm: row.midaxillaryMm,
    subscapular_mm: row.subscapularMm,
    calculated_body_fat_percentage: row.calculatedBodyFatPercentage,
    notes: row.notes,
    measured_at: row.measuredAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}
