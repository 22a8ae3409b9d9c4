/**
 * Schema pieces shared by several routes: ids, timestamps, enums with their accepted spellings,
 * paging, the idempotency header and the problem responses.
 */
import { type Static, type TSchema, Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });

/**
 * ISO-8601 date-time with an optional offset: the k6 journey sends naive UTC wall time, Locust a
 * 6-digit fraction and `Z` (docs/DESIGN.md, 'Time'). Parsed by `parseTimestamp`, never by `new Date(naive)`,
 * which would read it as local time.
 */
export const TimestampInput = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?$',
  maxLength: 40,
  description: 'ISO-8601 date-time; without an offset it is taken as UTC; an offset must be from -12:00 to +14:00',
  examples: ['2025-11-10T04:41:32', '2025-11-10T04:41:32.706758Z'],
});

export const DateInput = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD', examples: ['1990-05-15'] });

/** The UTC offsets in use run from -12:00 (Baker Island) to +14:00 (Line Islands). */
const MIN_UTC_OFFSET_MINUTES = -12 * 60;
const MAX_UTC_OFFSET_MINUTES = 14 * 60;

/**
 * Reads a TimestampInput string as UTC; null when it names no real instant (e.g. month 13) or its
 * offset is outside -12:00 to +14:00.
 */
export function parseTimestamp(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', , sign, oh = '0', om = '0'] = match;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  const millis = Math.floor(Number(`0.${fraction}`) * 1000);
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], millis);
  const check = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]));
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] - 1 ||
    check.getUTCDate() !== parts[2] ||
    check.getUTCHours() !== parts[3] ||
    check.getUTCMinutes() !== parts[4] ||
    check.getUTCSeconds() !== parts[5] ||
    Number(om) > 59
  ) {
    return null;
  }
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  if (offsetMinutes < MIN_UTC_OFFSET_MINUTES || offsetMinutes > MAX_UTC_OFFSET_MINUTES) return null;
  return new Date(utc - offsetMinutes * 60_000);
}

/** True when `YYYY-MM-DD` names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * An input enum that accepts the canonical lowercase values, their uppercase spellings and
 * aliases (docs/DESIGN.md, 'Accepted spellings'); `normalize` maps any accepted spelling to the canonical value.
 */
export function InputEnum<const T extends string>(values: readonly T[], aliases: Record<string, T> = {}, description?: string) {
  const spellings = new Map<string, T>();
  for (const value of values) {
    spellings.set(value, value);
    spellings.set(value.toUpperCase(), value);
  }
  for (const [alias, value] of Object.entries(aliases)) {
    spellings.set(alias, value);
    spellings.set(alias.toUpperCase(), value);
  }
  const schema = Type.String({ enum: [...spellings.keys()], ...(description ? { description } : {}) });
  return {
    schema,
    normalize(value: string): T {
      const canonical = spellings.get(value);
      if (canonical === undefined) throw new Error(`unexpected enum value ${value}`);
      return canonical;
    },
  };
}

export const OutputEnum = <const T extends string[]>(values: readonly [...T]) => Type.Enum(values);

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Nullable for what the service sends: a type list (`type: ['object', 'null']`, JSON Schema 2020-12
 * as OpenAPI 3.1 has it), which fast-json-stringify serializes after a plain `=== null` check. A
 * union (anyOf) it serializes by running ajv on the value against each branch in turn: every goal
 * sent had its whole projection validated (up to 105 weekly points, date formats included), about
 * a third of the CPU of a GET /goals (docs/PERFORMANCE.md, change 16). Request bodies keep `Nullable`, whose validation errors
 * name the concrete branch. A schema without a single `type` (an enum) stays a union.
 */
export const NullableOut = <T extends TSchema>(schema: T) => {
  const type = (schema as { type?: unknown }).type;
  return Type.Unsafe<Static<T> | null>(typeof type === 'string' ? { ...schema, type: [type, 'null'] } : Nullable(schema));
};

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

/**
 * The JSON Schema format (src/http/app.ts gives it to the validators) of text that must show, such
 * as a name: at least one character that is not white space, a control or format character (U+200B,
 * U+200D, U+FEFF, …), default-ignorable (U+3164 HANGUL FILLER, variation selectors, …), a combining
 * mark with nothing to combine with, or U+2800 BRAILLE PATTERN BLANK. A name of only those looks blank.
 */
export const VISIBLE_TEXT_FORMAT = 'visible-text';
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u;
export const hasVisibleCharacter = (text: string) => VISIBLE.test(text);

/**
 * The Idempotency-Key header as the creating routes declare it: validated, and documented in the
 * OpenAPI document. What a key does is src/http/idempotency.ts.
 */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[\\x21-\\x7e]{1,255}$',
      description: 'Any unique string (e.g. a UUID): a retry with the same key and body returns the first response and creates nothing new',
    }),
  ),
});

/** RFC 9457 problem details: the one shape of every error response (src/http/problem.ts sends it). */
const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    code: Type.Optional(Type.String({ description: 'A stable machine-readable error code.' })),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

/** Response entries for the error statuses a route can answer, all problem details. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ProblemSchema])) as Record<number, typeof ProblemSchema>;
}
