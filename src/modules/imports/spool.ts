/**
 * The spool (docs/DEPLOY.md, 'Imports'): where an import's file is kept from its upload until its
 * job ends. The body goes to a file of its own as it arrives, never into memory, and no further than
 * the size limit. The file is removed when the import ends, whichever way; while it is wanted its
 * modification time moves (the upload writes it, the job touches it with each heartbeat), so a file
 * left unchanged for longer than IMPORT_STALE_SECONDS was left by a process that stopped, and is
 * removed at start and with each sweep (jobs.ts). That works for instances sharing the folder too.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError } from '../../core/errors.ts';
import { removeFilesUnchangedSince } from '../../infra/files.ts';

export interface SpooledFile {
  path: string;
  sizeBytes: number;
  head: Buffer;
}

/** How much of a file's start is kept for telling its format (formats/types.ts, ImportFile.head). */
const HEAD_BYTES = 64 * 1024;
const SUFFIX = '.upload';

export const tooLarge = (maxBytes: number) =>
  new AppError('too_large', 'file_too_large', `The file is larger than the ${maxBytes} bytes an import takes`);

const cannotKeep = () =>
  new AppError('unavailable', 'import_storage_unavailable', 'The service cannot keep the file just now; send it again shortly', {
    retryAfterSeconds: 30,
  });

/** Copies `body` into `out` until it ends; rejects past `maxBytes`, leaving the rest of the body unread. */
function copy(body: Readable, out: WriteStream, maxBytes: number): Promise<{ sizeBytes: number; head: Buffer }> {
  return new Promise((resolve, reject) => {
    let sizeBytes = 0;
    const head: Buffer[] = [];
    let headBytes = 0;
    const settle = (error: Error | null) => {
      body.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      out.off('error', onWriteError);
      if (error) {
        body.pause();
        reject(error);
      } else {
        resolve({ sizeBytes, head: Buffer.concat(head) });
      }
    };
    const onData = (chunk: Buffer) => {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) return settle(tooLarge(maxBytes));
      if (headBytes < HEAD_BYTES) {
        const part = Buffer.from(chunk.subarray(0, HEAD_BYTES - headBytes));
        head.push(part);
        headBytes += part.length;
      }
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    };
    const onEnd = () => settle(null);
    // The client went away before the end.
    const onClose = () => settle(new Error('the upload ended before its end'));
    const onWriteError = () => settle(cannotKeep());
    body.on('data', onData).once('end', onEnd).once('error', settle).once('close', onClose);
    out.once('error', onWriteError);
  });
}

/** Streams `body` into a new file in `dir`, at most `maxBytes` of it; nothing is left behind when it fails. */
export async function spoolBody(body: Readable, dir: string, maxBytes: number): Promise<SpooledFile> {
  const file = path.join(dir, `${randomUUID()}${SUFFIX}`);
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  try {
    const { sizeBytes, head } = await copy(body, out, maxBytes);
    out.end();
    await finished(out).catch(() => {
      throw cannotKeep();
    });
    return { path: file, sizeBytes, head };
  } catch (error) {
    out.destroy();
    await removeSpooled(file);
    throw error;
  }
}

export const removeSpooled = (file: string) => rm(file, { force: true });

/** Marks the file as still wanted (see above). */
export const touchSpooled = (file: string) => utimes(file, new Date(), new Date()).catch(() => {});

/** Creates the folder (its owner's only) when missing, and removes the files left unchanged for `staleAfterMs`; resolves with how many. */
export async function removeAbandonedFiles(dir: string, staleAfterMs: number): Promise<number> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return (await removeFilesUnchangedSince(dir, (name) => name.endsWith(SUFFIX), Date.now() - staleAfterMs)).length;
}
