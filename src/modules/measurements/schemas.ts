import { Type } from 'typebox';
import { Nullable, NullableOut, OutputEnum, Paging, TimestampInput, Uuid } from '../../core/schemas.ts';
import { MethodInput } from '../users/schemas.ts';

const circumference = (description: string) =>
  Type.Optional(Nullable(Type.Number({ minimum: 10, maximum: 200, description: `${description}, cm` })));
const skinfold = (description: string) =>
  Type.Optional(Nullable(Type.Number({ minimum: 1, maximum: 70, description: `${description} skinfold, mm` })));

/** Wire names of the sites, in the order the domain's `Sites` names them. */
export const SITE_FIELDS = {
  waist_cm: 'waistCm',
  neck_cm: 'neckCm',
  hip_cm: 'hipCm',
  chest_mm: 'chestMm',
  abdomen_mm: 'abdomenMm',
  thigh_mm: 'thighMm',
  tricep_mm: 'tricepMm',
  suprailiac_mm: 'suprailiacMm',
  midaxillary_mm: 'midaxillaryMm',
  subscapular_mm: 'subscapularMm',
} as const;

export const CreateMeasurementBody = Type.Object({
  weight_kg: Type.Number({ minimum: 30, maximum: 300 }),
  calculation_method: MethodInput.schema,
  waist_cm: circumference('Waist at the navel'),
  neck_cm: circumference('Neck below the larynx'),
  hip_cm: circumference('Hips at the widest point (Navy, women)'),
  chest_mm: skinfold('Chest'),
  abdomen_mm: skinfold('Abdomen'),
  thigh_mm: skinfold('Thigh'),
  tricep_mm: skinfold('Triceps'),
  suprailiac_mm: skinfold('Suprailiac'),
  midaxillary_mm: skinfold('Midaxillary'),
  subscapular_mm: skinfold('Subscapular'),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  measured_at: TimestampInput,
});

const number = NullableOut(Type.Number());
export const Measurement = Type.Object({
  id: Uuid,
  user_id: Uuid,
  weight_kg: Type.Number(),
  calculation_method: OutputEnum(['navy', '3_site', '7_site'] as const),
  waist_cm: number,
  neck_cm: number,
  hip_cm: number,
  chest_mm: number,
  abdomen_mm: number,
  thigh_mm: number,
  tricep_mm: number,
  suprailiac_mm: number,
  midaxillary_mm: number,
  subscapular_mm: number,
  calculated_body_fat_percentage: Type.Number(),
  notes: NullableOut(Type.String()),
  measured_at: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
});

export const MeasurementList = Type.Object({ measurements: Type.Array(Measurement), total: Type.Integer() });
export const ListQuery = Type.Object(Paging);
export const MeasurementParams = Type.Object({ measurement_id: Uuid });
