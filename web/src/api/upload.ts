/**
 * Sending a file as a request's body with the upload's progress: fetch tells nothing of a body going
 * out, XMLHttpRequest's upload events do. The sign-in (the bearer token, one refresh on a 401) is
 * client.ts's `authorized`, the same as for every other call.
 */
import { authorized } from './client.ts';
import { ApiError, UNREACHABLE } from './problem.ts';

export interface UploadOptions {
  /** The share of the file sent so far, 0–1; starts again from 0 if the request is sent again after a refresh. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

const abortError = () => new DOMException('The upload was cancelled', 'AbortError');

/** Statuses whose answer has no body (a Response refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/**
 * One attempt: the file POSTed to `/api/v1${path}` with the token, its answer as a Response. The
 * file goes as application/octet-stream: the service tells the format from the content, and a
 * browser's guess of a CSV's type (application/vnd.ms-excel on some systems) would be refused.
 */
function sendFile(path: string, file: Blob, token: string | null, { onProgress, signal }: UploadOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const request = new XMLHttpRequest();
    const onAbort = () => request.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    request.open('POST', `/api/v1${path}`);
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('content-type', 'application/octet-stream');
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      settle();
      const type = request.getResponseHeader('content-type');
      resolve(
        new Response(NO_BODY.has(request.status) ? null : request.responseText, {
          status: request.status,
          headers: type ? { 'content-type': type } : {},
        }),
      );
    });
    request.addEventListener('error', () => {
      settle();
      reject(new ApiError(UNREACHABLE));
    });
    request.addEventListener('timeout', () => {
      settle();
      reject(new ApiError(UNREACHABLE));
    });
    request.addEventListener('abort', () => {
      settle();
      reject(abortError());
    });
    onProgress?.(0);
    request.send(file);
  });
}

/** POSTs the file as the body of `path` (under /api/v1) and gives the JSON answer; a refusal throws its ApiError. */
export async function uploadFile<T>(path: string, file: Blob, options: UploadOptions = {}): Promise<T> {
  const response = await authorized((token) => sendFile(path, file, token, options));
  return (await response.json()) as T;
}
