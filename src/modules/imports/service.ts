/**
 * Imports of a person's history from other apps (docs/DESIGN.md, 'Imports'): a file is checked
 * while the request waits (empty, in no known format, a broken archive: 422, nothing stored), then
 * imported by a job (jobs.ts) that the person follows by polling.
 */
import type { Static } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { AppError, notFound, unprocessable } from '../../core/errors.ts';
import { type ImportFile, ImportRefused } from './formats/types.ts';
import type { ImportPlace } from './jobs.ts';
import { emptyReport } from './report.ts';
import { findOwnImport, type ImportRow, insertImport, listImports } from './repository.ts';
import type { Import, ImportQuery, ImportReportWire } from './schemas.ts';
import type { SpooledFile } from './spool.ts';

export const FILE_MEDIA_TYPES = ['text/csv', 'application/zip', 'application/xml', 'text/xml', 'application/octet-stream'];

const refused = (code: string, message: string) => unprocessable(message, [{ field: 'body', message }], code);

export const emptyFile = () => refused('empty_file', 'The file is empty: send the export itself as the request body');

export const notAFile = () =>
  new AppError(
    'unsupported_media_type',
    'unsupported_media_type',
    `Send the file itself as the request body, as ${FILE_MEDIA_TYPES.join(', ')}`,
  );

/** What is known of the file, and the reader of its format; a 422 when it cannot be imported at all. */
async function recognise(file: SpooledFile) {
  if (file.sizeBytes === 0) throw emptyFile();
  let described: ImportFile;
  try {
    // The readers (saxes, yauzl) are loaded at the first import, not kept by every service.
    const [{ describeFile }, { readerFor }] = await Promise.all([import('./sniff.ts'), import('./formats/index.ts')]);
    described = await describeFile(file);
    return { file: described, reader: readerFor(described) };
  } catch (error) {
    if (error instanceof ImportRefused) throw refused(error.code, error.message);
    throw error;
  }
}

/**
 * Checks the spooled file and starts its import in `place`. `abandoned` aborted (the request was
 * answered or its client went away while the file was looked at): nothing is started. Once started,
 * the job owns the file.
 */
export async function startImport(
  ctx: AppContext,
  userId: string,
  file: SpooledFile,
  query: Static<typeof ImportQuery>,
  place: ImportPlace,
  abandoned: AbortSignal,
): Promise<ImportRow> {
  const { file: described, reader } = await recognise(file);
  abandoned.throwIfAborted();
  const options = { dryRun: query.dry_run ?? false, onConflict: query.on_conflict ?? 'keep', weightUnit: query.weight_unit };
  const row = await insertImport(ctx.db, {
    userId,
    format: reader.format,
    dryRun: options.dryRun,
    onConflict: options.onConflict,
    sizeBytes: file.sizeBytes,
    report: emptyReport(),
  });
  place.start({ id: row.id, userId, file: described, reader, ...options });
  return row;
}

/*
 * The job's own progress is not a write of the person's, so a replica's copy of it may be behind:
 * imports are read from the primary (src/db/replicas.ts). A lookup by key, as cheap there.
 */
export async function ownImport(ctx: AppContext, userId: string, id: string): Promise<ImportRow> {
  const row = await findOwnImport(ctx.db, userId, id);
  if (!row) throw notFound('Import');
  return row;
}

export function importsOf(ctx: AppContext, userId: string, page: { limit?: number | undefined; offset?: number | undefined }) {
  return listImports(ctx.db, userId, page.limit ?? 20, page.offset ?? 0);
}

export const importLocation = (id: string) => `/api/v1/users/me/imports/${id}`;

export const toImport = (row: ImportRow): Static<typeof Import> => ({
  id: row.id,
  status: row.status,
  // Set when the row is made: a file is refused before then when no reader recognises it.
  format: row.format!,
  progress: row.progress,
  error: (row.error as { code: string; message: string } | null) ?? null,
  report: (row.report as ImportReportWire | null) ?? emptyReport(),
  dry_run: row.dryRun,
  on_conflict: row.onConflict,
  size_bytes: row.sizeBytes ?? 0,
  created_at: row.createdAt.toISOString(),
  finished_at: row.finishedAt?.toISOString() ?? null,
});
