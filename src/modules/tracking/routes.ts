import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { problemResponses } from '../../core/schemas.ts';
import { createImportQueue } from './importQueue.ts';
import {
  DayParams,
  Expenditure,
  ExpenditureQuery,
  ImportQuery,
  ImportReport,
  Intake,
  IntakeBody,
  IntakeList,
  LISTED_REJECTIONS,
  RangeQuery,
  WeighIn,
  WeighInBody,
  WeightSeries,
} from './schemas.ts';
import { expenditure, weightSeries } from './trends.ts';
import {
  dayRange,
  importWeighIns,
  intakeBetween,
  putIntake,
  putWeighIn,
  removeIntake,
  removeWeighIn,
  toIntake,
  toWeighIn,
} from './service.ts';

/** CSV files of a few years of daily weigh-ins stay far below this. */
const IMPORT_LIMIT_BYTES = 2 * 1024 * 1024;
/**
 * Imports processed at once, and waiting their turn, per process (importQueue.ts). Two at once: a
 * small file need not wait for a big one, and on PostgreSQL one is read while the other is stored
 * (measured: one or two at once take the same total time; ten 20,000-row imports sent together all
 * finish in about 4.5 s on PGlite and 3 s on PostgreSQL, within RESPONSE_TIMEOUT_MS). One waiting
 * past its deadline never starts.
 */
const IMPORTS_AT_ONCE = 2;
const IMPORTS_WAITING = 16;

export const trackingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];
  const imports = createImportQueue({ running: IMPORTS_AT_ONCE, waiting: IMPORTS_WAITING });
  // Only here: the weigh-in import reads a CSV body.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT_BYTES }, app.parseUtf8Text);

  app.put(
    '/api/v1/users/me/weights/:date',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Log (or replace) the weigh-in of a day',
        security,
        params: DayParams,
        body: WeighInBody,
        response: { 200: WeighIn, ...problemResponses(401, 422) },
      },
    },
    async (request) => toWeighIn(await putWeighIn(ctx, request.auth.userId, request.params.date, request.body.weight_kg)),
  );

  app.delete(
    '/api/v1/users/me/weights/:date',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Delete the weigh-in of a day',
        security,
        params: DayParams,
        response: { 204: Type.Null(), ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await removeWeighIn(ctx, request.auth.userId, request.params.date);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/users/me/weights/import',
    {
      bodyLimit: IMPORT_LIMIT_BYTES,
      schema: {
        tags: ['tracking'],
        security,
        summary: 'Import weigh-ins from CSV (date,weight in kg or lb; Libra, Withings, Fitbit-style exports); days with a weigh-in keep it',
        description:
          `Every row of the file gets a verdict; the report counts them and lists the first ${LISTED_REJECTIONS} rejected. ` +
          'A file that cannot be read as a whole (no date or weight column, a quote never closed) is refused with 422 and nothing is stored. ' +
          'The rows are stored in batches: an import cut short by a 503 may have stored some, and sending the same file again is safe ' +
          '(a day that has a weigh-in keeps it). ' +
          `At most ${IMPORTS_AT_ONCE} imports are processed at once and ${IMPORTS_WAITING} wait their turn; past that, 503 with Retry-After.`,
        consumes: ['text/csv'],
        querystring: ImportQuery,
        body: Type.String({ description: 'The CSV file' }),
        response: { 200: ImportReport, ...problemResponses(401, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      // Answered by the deadline, or the client went away: an import still waiting never starts, a running one stops.
      const abandoned = new AbortController();
      reply.raw.once('close', () =>
        abandoned.abort(new AppError('unavailable', 'import_abandoned', 'The request ended before the import was done')),
      );
      return imports.run(() => importWeighIns(ctx, request.auth.userId, request.body, request.query, abandoned.signal), abandoned.signal);
    },
  );

  app.get(
    '/api/v1/users/me/weights',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Daily weights over a range (default: the last 90 days), each with its trend weight',
        security,
        querystring: RangeQuery,
        response: { 200: WeightSeries, ...problemResponses(401, 422) },
      },
    },
    async (request) => weightSeries(ctx, request.auth.userId, dayRange(ctx, request.query)),
  );

  app.get(
    '/api/v1/users/me/expenditure',
    {
      schema: {
        tags: ['tracking'],
        security,
        summary: 'Adaptive estimate of daily energy expenditure from logged intake and weight, with a 95 % band',
        querystring: ExpenditureQuery,
        response: { 200: Expenditure, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => expenditure(ctx, request.auth.userId, request.query.as_of),
  );

  app.put(
    '/api/v1/users/me/intake/:date',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Log (or replace) the food intake of a day',
        security,
        description:
          'The body replaces the whole day: a field left out takes its default, not the value stored before. ' +
          'Without macros the day has none; without `complete` it is complete (send `"complete": false` for a day logged only partly, ' +
          "which the expenditure estimate then leaves out). The day's `source` becomes `manual`.",
        params: DayParams,
        body: IntakeBody,
        response: { 200: Intake, ...problemResponses(401, 422) },
      },
    },
    async (request) => toIntake(await putIntake(ctx, request.auth.userId, request.params.date, request.body)),
  );

  app.delete(
    '/api/v1/users/me/intake/:date',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Delete the intake of a day',
        security,
        params: DayParams,
        response: { 204: Type.Null(), ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await removeIntake(ctx, request.auth.userId, request.params.date);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/users/me/intake',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Logged intake over a range of days (default: the last 90)',
        security,
        querystring: RangeQuery,
        response: { 200: IntakeList, ...problemResponses(401, 422) },
      },
    },
    async (request) => {
      const range = dayRange(ctx, request.query);
      return { ...range, intake: (await intakeBetween(ctx, request.auth.userId, range)).map(toIntake) };
    },
  );
};
