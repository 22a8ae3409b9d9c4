import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { problemResponses } from '../../core/schemas.ts';
import { createImportJobs, type ImportPlace } from './jobs.ts';
import { Import, ImportList, ImportListQuery, ImportParams, ImportQuery } from './schemas.ts';
import { emptyFile, FILE_MEDIA_TYPES, importLocation, importsOf, notAFile, ownImport, startImport, toImport } from './service.ts';
import { removeSpooled, spoolBody, type SpooledFile, tooLarge } from './spool.ts';

/** A file received for an import, with its place among the imports: the handler claims it, or it is discarded. */
class Upload {
  private state: 'received' | 'claimed' | 'discarded' = 'received';
  constructor(
    readonly file: SpooledFile,
    readonly place: ImportPlace,
  ) {}

  claim(): boolean {
    if (this.state !== 'received') return false;
    this.state = 'claimed';
    return true;
  }

  /** Removes the file and gives the place back: by the handler that claimed it, when it started no job. */
  async discard(): Promise<void> {
    if (this.state === 'discarded') return;
    this.state = 'discarded';
    this.place.release();
    await removeSpooled(this.file.path);
  }

  /** The same for a request that ends without its handler claiming the file. */
  async discardUnclaimed(): Promise<void> {
    if (this.state === 'received') await this.discard();
  }
}

const uploads = new WeakMap<FastifyRequest, Upload>();

export const importRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];
  const { maxBytes, spoolDir } = ctx.config.imports;
  const jobs = createImportJobs(ctx, app.log);
  app.addHook('onReady', () => jobs.start());
  app.addHook('onClose', () => jobs.stop());

  // The file is the raw body, streamed to the spool (spool.ts) as it arrives, never held in memory.
  app.addContentTypeParser(FILE_MEDIA_TYPES, async (request: FastifyRequest, body: NodeJS.ReadableStream) => {
    // A declared length past the limit is refused before anything is read.
    if (Number(request.headers['content-length']) > maxBytes) throw tooLarge(maxBytes);
    const place = jobs.reserve();
    try {
      const upload = new Upload(await spoolBody(body as never, spoolDir, maxBytes), place);
      uploads.set(request, upload);
      return upload;
    } catch (error) {
      place.release();
      throw error;
    }
  });

  const fileBody = { type: 'string', format: 'binary', description: 'The export file itself: its format is told from its content' };
  app.post(
    '/api/v1/users/me/imports',
    {
      config: { upload: true },
      // The body is the Upload the parser made of the file; the schema below only documents it.
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : app.validatorCompiler!(route)),
      // A request that never reaches the handler (refused after its file was received, or left by its client) leaves no file behind.
      onRequest: (request, reply, done) => {
        reply.raw.once('close', () => {
          void uploads.get(request)?.discardUnclaimed();
        });
        done();
      },
      schema: {
        tags: ['imports'],
        security,
        summary: "Import a history of weights and food intake from another app's export",
        description:
          'The file is the raw request body. It is checked at once (empty, in no known format, a broken archive: 422, nothing ' +
          'stored); then it is imported by a job, answered 202 with the import and its Location, which the client polls. Days are ' +
          'stored in transactions of whole days; importing the same file again changes nothing. `on_conflict=keep` (the default) ' +
          'keeps a day the person entered by hand; `replace` replaces it. See docs/DESIGN.md, "Imports".',
        querystring: ImportQuery,
        body: { content: Object.fromEntries(FILE_MEDIA_TYPES.map((type) => [type, { schema: fileBody }])) },
        response: { 202: Import, ...problemResponses(401, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const upload = request.body;
      if (!(upload instanceof Upload)) throw upload === undefined || upload === null ? emptyFile() : notAFile();
      if (!upload.claim()) throw new AppError('unavailable', 'import_abandoned', 'The request ended before the import was started');
      const abandoned = new AbortController();
      reply.raw.once('close', () =>
        abandoned.abort(new AppError('unavailable', 'import_abandoned', 'The request ended before the import was started')),
      );
      let row;
      try {
        row = await startImport(ctx, request.auth.userId, upload.file, request.query, upload.place, abandoned.signal);
      } catch (error) {
        await upload.discard();
        throw error;
      }
      return reply.code(202).header('location', importLocation(row.id)).send(toImport(row));
    },
  );

  app.get(
    '/api/v1/users/me/imports',
    {
      schema: {
        tags: ['imports'],
        summary: "The person's imports, newest first",
        security,
        querystring: ImportListQuery,
        response: { 200: ImportList, ...problemResponses(401, 422) },
      },
    },
    async (request) => {
      const { rows, total } = await importsOf(ctx, request.auth.userId, request.query);
      return { imports: rows.map(toImport), total };
    },
  );

  app.get(
    '/api/v1/users/me/imports/:import_id',
    {
      schema: {
        tags: ['imports'],
        summary: 'An import: its status, progress and report',
        security,
        params: ImportParams,
        response: { 200: Import, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => toImport(await ownImport(ctx, request.auth.userId, request.params.import_id)),
  );
};
