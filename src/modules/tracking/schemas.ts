import { type Static, Type } from 'typebox';
import { DateInput, Nullable, NullableOut, OutputEnum } from '../../core/schemas.ts';

export const DayParams = Type.Object({ date: DateInput });
export const RangeQuery = Type.Object({
  from: Type.Optional(DateInput),
  to: Type.Optional(DateInput),
});

/** Where a day's weigh-in or intake came from: sent by PUT (typed in), or an import. */
const LogSource = OutputEnum(['manual', 'import'] as const);

export const WeighInBody = Type.Object({ weight_kg: Type.Number({ minimum: 30, maximum: 300 }) });
export const WeighIn = Type.Object({
  date: Type.String({ format: 'date' }),
  weight_kg: Type.Number(),
  source: LogSource,
  updated_at: Type.String({ format: 'date-time' }),
});

const grams = (max: number) => Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: max })));
export const IntakeBody = Type.Object({
  calories: Type.Integer({ minimum: 0, maximum: 15_000, description: 'kcal eaten that day' }),
  protein_g: grams(1000),
  carbs_g: grams(2000),
  fat_g: grams(1000),
  complete: Type.Optional(
    Type.Boolean({
      description:
        'false when only part of the day is logged (a meal or more missing): the expenditure estimate leaves its calories out. ' +
        'Absent means true: the PUT replaces the whole day, so sending it without `complete` marks the day complete.',
    }),
  ),
});
export const Intake = Type.Object({
  date: Type.String({ format: 'date' }),
  calories: Type.Integer(),
  protein_g: NullableOut(Type.Number()),
  carbs_g: NullableOut(Type.Number()),
  fat_g: NullableOut(Type.Number()),
  complete: Type.Boolean({ description: 'false when the day is logged only partly; the expenditure estimate then leaves it out' }),
  source: LogSource,
  updated_at: Type.String({ format: 'date-time' }),
});
export const IntakeList = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  intake: Type.Array(Intake),
});

export const ImportQuery = Type.Object({
  unit: Type.Optional(Type.Union([Type.Literal('kg'), Type.Literal('lb')], { description: 'when the file does not say' })),
  date_format: Type.Optional(
    Type.Union([Type.Literal('ymd'), Type.Literal('dmy'), Type.Literal('mdy')], { description: 'settles dates like 03/04/2024' }),
  ),
});
const count = (description: string) => Type.Integer({ minimum: 0, description });
/** Why a row was not imported: the keys of `rejected_by_reason`, and each rejected row's `reason`. */
const RejectedByReason = Type.Object(
  {
    not_a_date: count(
      'The date cell is not a date the import reads (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, a time of day allowed), or not a real date',
    ),
    ambiguous_date: count('A date like 03/04/2024 that could be either day or month first: pass date_format'),
    no_weight: count('The weight cell is empty'),
    not_a_weight: count('The weight cell is not a number (a kg or lb suffix allowed)'),
    weight_out_of_range: count('The weight is outside 30–300 kg'),
    day_repeated: count('An earlier row of the file gives the same day: the first weigh-in of a day is kept'),
    in_the_future: count('The day is after tomorrow (UTC)'),
    before_birth: count('The day is before the date of birth'),
    day_already_logged: count('The day already has a weigh-in, which is kept'),
  },
  { description: 'How many rows were rejected for each reason; every reason is listed, most with 0' },
);
export type RejectionReason = keyof Static<typeof RejectedByReason>;
export const REJECTION_REASONS = Object.keys(RejectedByReason.properties) as RejectionReason[];

/** At most this many rejected rows are listed; the counts cover them all. */
export const LISTED_REJECTIONS = 100;
export const ImportReport = Type.Object(
  {
    imported: Type.Integer({ minimum: 0, description: 'Rows stored as weigh-ins' }),
    rejected: Type.Integer({
      minimum: 0,
      description:
        'Rows not stored, all of them: `imported + rejected` is every row of the file (blank and `#` comment lines are not rows)',
    }),
    rejected_by_reason: RejectedByReason,
    rejected_rows: Type.Array(
      Type.Object({
        line: Type.Integer({ description: 'The line of the file the row starts on, counting from 1 (a quoted field may span lines)' }),
        date: Type.Optional(Type.String({ format: 'date', description: 'The day the row names, when it names a real one' })),
        weight_kg: Type.Optional(Type.Number({ description: 'The weight the row gives, in kg, when it gives a valid one' })),
        reason: OutputEnum(REJECTION_REASONS),
        detail: Type.String({ description: 'The reason in words, quoting the cell at fault' }),
      }),
      {
        maxItems: LISTED_REJECTIONS,
        description: `The first ${LISTED_REJECTIONS} rejected rows, in file order; \`rejected\` counts them all`,
      },
    ),
  },
  { description: 'What the import did with the rows of the file' },
);

export const WeightSeries = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  weekly_rate_kg: NullableOut(
    Type.Number({
      description:
        'The weekly rate of weight (docs/SCIENCE.md 7): least-squares slope of the trend weight over the last 28 days (at least 14, with 3 weigh-ins), kg per week',
    }),
  ),
  weights: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      weight_kg: NullableOut(Type.Number({ description: 'The weigh-in (or measurement) of the day; null on a filled-in day' })),
      source: NullableOut(OutputEnum(['manual', 'import', 'measurement'] as const)),
      interpolated_kg: Type.Number(),
      trend_weight_kg: Type.Number({ description: 'Exponentially smoothed (0.1) trend over daily weights, gaps interpolated' }),
    }),
  ),
});

const method = OutputEnum(['equation', 'blended', 'adaptive'] as const);
export const ExpenditureQuery = Type.Object({ as_of: Type.Optional(DateInput) });
export const Expenditure = Type.Object({
  as_of: Type.String({ format: 'date' }),
  tdee_kcal: Type.Integer({ description: 'Estimated total daily energy expenditure' }),
  tdee_low_kcal: Type.Integer({ description: 'Lower end of the 95 % band' }),
  tdee_high_kcal: Type.Integer({ description: 'Upper end of the 95 % band' }),
  data_days: Type.Integer({ description: 'Days of complete logged intake behind the estimate' }),
  method,
  equation_tdee_kcal: Type.Integer({ description: 'Mifflin–St Jeor × activity factor at the current weight' }),
  data_weight: Type.Number({ description: 'Share of the estimate that comes from the logs (0–1)' }),
  window: Type.Object({
    start_date: Type.String({ format: 'date' }),
    end_date: Type.String({ format: 'date' }),
    days: Type.Integer(),
    intake_days: Type.Integer({ description: 'Days of the window with complete logged intake' }),
    incomplete_days: Type.Integer({ description: 'Days of the window logged but marked incomplete: left out, like days without intake' }),
    weigh_in_days: Type.Integer(),
    mean_intake_kcal: NullableOut(Type.Number()),
    weight_change_kg_per_week: NullableOut(Type.Number()),
    observed_tdee_kcal: NullableOut(Type.Number({ description: 'The window alone: mean intake minus the energy of the weight change' })),
  }),
  series: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      tdee_kcal: Type.Integer(),
      tdee_low_kcal: Type.Integer(),
      tdee_high_kcal: Type.Integer(),
      method,
      estimated_weight_kg: Type.Number(),
    }),
  ),
});
