import { Type } from 'typebox';
import { DateInput, Nullable, NullableOut, OutputEnum } from '../../http/schemas.ts';

export const DayParams = Type.Object({ date: DateInput });
export const RangeQuery = Type.Object({
  from: Type.Optional(DateInput),
  to: Type.Optional(DateInput),
});

export const WeighInBody = Type.Object({ weight_kg: Type.Number({ minimum: 30, maximum: 300 }) });
export const WeighIn = Type.Object({
  date: Type.String({ format: 'date' }),
  weight_kg: Type.Number(),
  source: OutputEnum(['manual', 'import'] as const),
  updated_at: Type.String({ format: 'date-time' }),
});

const grams = (max: number) => Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: max })));
export const IntakeBody = Type.Object({
  calories: Type.Integer({ minimum: 0, maximum: 15_000, description: 'kcal eaten that day' }),
  protein_g: grams(1000),
  carbs_g: grams(2000),
  fat_g: grams(1000),
});
export const Intake = Type.Object({
  date: Type.String({ format: 'date' }),
  calories: Type.Integer(),
  protein_g: NullableOut(Type.Number()),
  carbs_g: NullableOut(Type.Number()),
  fat_g: NullableOut(Type.Number()),
  updated_at: Type.String({ format: 'date-time' }),
});
export const IntakeList = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), intake: Type.Array(Intake) });

export const ImportQuery = Type.Object({
  unit: Type.Optional(Type.Union([Type.Literal('kg'), Type.Literal('lb')], { description: 'when the file does not say' })),
  date_format: Type.Optional(Type.Union([Type.Literal('ymd'), Type.Literal('dmy'), Type.Literal('mdy')], { description: 'settles dates like 03/04/2024' })),
});
export const ImportReport = Type.Object({
  imported: Type.Integer(),
  rejected: Type.Integer(),
  rows: Type.Array(Type.Object({
    line: Type.Integer(),
    date: Type.Optional(Type.String()),
    weight_kg: Type.Optional(Type.Number()),
    status: OutputEnum(['imported', 'rejected'] as const),
    reason: Type.Optional(Type.String()),
  })),
});

export const WeightSeries = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  weekly_rate_kg: NullableOut(Type.Number({ description: 'Least-squares slope of the weigh-ins over the last 14–21 days, kg per week' })),
  weights: Type.Array(Type.Object({
    date: Type.String({ format: 'date' }),
    weight_kg: NullableOut(Type.Number({ description: 'The weigh-in (or measurement) of the day; null on a filled-in day' })),
    source: NullableOut(OutputEnum(['manual', 'import', 'measurement'] as const)),
    interpolated_kg: Type.Number(),
    trend_weight_kg: Type.Number({ description: 'Exponentially smoothed (0.1) trend over daily weights, gaps interpolated' }),
  })),
});

const method = OutputEnum(['equation', 'blended', 'adaptive'] as const);
export const ExpenditureQuery = Type.Object({ as_of: Type.Optional(DateInput) });
export const Expenditure = Type.Object({
  as_of: Type.String({ format: 'date' }),
  tdee_kcal: Type.Integer({ description: 'Estimated total daily energy expenditure' }),
  tdee_low_kcal: Type.Integer({ description: 'Lower end of the 95 % band' }),
  tdee_high_kcal: Type.Integer({ description: 'Upper end of the 95 % band' }),
  data_days: Type.Integer({ description: 'Days of logged intake behind the estimate' }),
  method,
  equation_tdee_kcal: Type.Integer({ description: 'Mifflin–St Jeor × activity factor at the current weight' }),
  data_weight: Type.Number({ description: 'Share of the estimate that comes from the logs (0–1)' }),
  window: Type.Object({
    start_date: Type.String({ format: 'date' }),
    end_date: Type.String({ format: 'date' }),
    days: Type.Integer(),
    intake_days: Type.Integer(),
    weigh_in_days: Type.Integer(),
    mean_intake_kcal: NullableOut(Type.Number()),
    weight_change_kg_per_week: NullableOut(Type.Number()),
    observed_tdee_kcal: NullableOut(Type.Number({ description: 'The window alone: mean intake minus the energy of the weight change' })),
  }),
  series: Type.Array(Type.Object({
    date: Type.String({ format: 'date' }),
    tdee_kcal: Type.Integer(),
    tdee_low_kcal: Type.Integer(),
    tdee_high_kcal: Type.Integer(),
    method,
    estimated_weight_kg: Type.Number(),
  })),
});
