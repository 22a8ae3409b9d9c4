import { type Static, Type } from 'typebox';
import { NullableOut, OutputEnum, Paging, Uuid } from '../../core/schemas.ts';
import { IMPORT_FORMATS, LISTED_REJECTIONS } from './formats/types.ts';

export const ImportQuery = Type.Object({
  dry_run: Type.Optional(Type.Boolean({ default: false, description: 'Read the file and report what it would do, storing nothing' })),
  on_conflict: Type.Optional(
    Type.Union([Type.Literal('keep'), Type.Literal('replace')], {
      default: 'keep',
      description: "`keep`: a day entered by hand keeps its value; `replace`: the file's value replaces it",
    }),
  ),
  weight_unit: Type.Optional(
    Type.Union([Type.Literal('kg'), Type.Literal('lb')], { description: "The unit of the file's weights, when the file does not say" }),
  ),
});

export const ImportParams = Type.Object({ import_id: Uuid });
export const ImportListQuery = Type.Object({ ...Paging });

const count = (description: string) => Type.Integer({ minimum: 0, description });
const DayCounts = (what: string) =>
  Type.Object({
    imported: count(`Days with no ${what} before, now stored`),
    updated: count(
      `Days whose ${what} came from an earlier import and now has other values, or (on_conflict=replace) was entered by hand and is replaced`,
    ),
    unchanged: count(`Days whose stored ${what} already has the file's values`),
    kept: count(`Days whose ${what} was entered by hand with other values, kept (on_conflict=keep)`),
    rejected: count(
      `Days of ${what} the import refused: before the date of birth, after tomorrow (UTC), or a value outside what can be stored`,
    ),
  });

const ImportReport = Type.Object(
  {
    weights: DayCounts('weigh-in'),
    intake: DayCounts('intake'),
    first_date: NullableOut(Type.String({ format: 'date', description: 'The first day the file gives that the import took' })),
    last_date: NullableOut(Type.String({ format: 'date', description: 'The last day the file gives that the import took' })),
    rows_rejected: count(
      'Rows of the file its reader refused (a date or value it cannot read, a day given twice); not in the per-day counts',
    ),
    rejected_rows: Type.Array(
      Type.Object({
        where: Type.String({ description: 'Where in the file: `line 12`, `food-logs.csv line 12`, `export.xml record 8412`' }),
        reason: Type.String({ description: 'Why, in words' }),
      }),
      { maxItems: LISTED_REJECTIONS, description: `The first ${LISTED_REJECTIONS} rows and days refused, the reader's first` },
    ),
    weight_unit: NullableOut(OutputEnum(['kg', 'lb'] as const)),
    days_done: count('Days compared (and, unless a dry run, stored) so far: how far the import got'),
    days_total: count('Days the file gives that the import takes'),
  },
  { description: 'What the import did with the file, so far while it runs' },
);
export type ImportReportWire = Static<typeof ImportReport>;

export const Import = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: OutputEnum(['running', 'done', 'failed'] as const),
  format: OutputEnum(IMPORT_FORMATS),
  progress: Type.Number({ minimum: 0, maximum: 1, description: 'The share done: reading the file is most of it' }),
  error: NullableOut(
    Type.Object({ code: Type.String(), message: Type.String() }, { description: 'Why the import failed (status `failed`)' }),
  ),
  report: ImportReport,
  dry_run: Type.Boolean(),
  on_conflict: OutputEnum(['keep', 'replace'] as const),
  size_bytes: Type.Integer({ minimum: 0 }),
  created_at: Type.String({ format: 'date-time' }),
  finished_at: NullableOut(Type.String({ format: 'date-time' })),
});

export const ImportList = Type.Object({ imports: Type.Array(Import), total: Type.Integer({ minimum: 0 }) });
