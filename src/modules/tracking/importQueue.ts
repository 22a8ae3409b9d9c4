/**
 * Weigh-in imports take turns: at most `running` of them are processed at once in a process, at
 * most `waiting` more wait for their turn, and past that an import is refused at once with 503 and
 * Retry-After. An import holds its file (up to 2 MB) and the rows it read until it is done, so
 * this bounds the memory imports can take however many arrive; each one also yields the event
 * loop as it goes (csv.ts, service.ts), so the rest of the service keeps answering meanwhile.
 */
import pLimit from 'p-limit';
import { AppError } from '../../core/errors.ts';

export interface ImportQueue {
  /**
   * Runs `work` in its turn. When `abandoned` is aborted before the turn comes (the deadline
   * answered the request, or the client went away) the work is not started.
   */
  run<T>(work: () => Promise<T>, abandoned: AbortSignal): Promise<T>;
}

const busy = () => new AppError('unavailable', 'imports_busy', 'Too many imports are in progress; retry shortly', { retryAfterSeconds: 5 });

export function createImportQueue({ running, waiting }: { running: number; waiting: number }): ImportQueue {
  const limit = pLimit(running);
  return {
    run: (work, abandoned) => {
      if (limit.activeCount >= running && limit.pendingCount >= waiting) return Promise.reject(busy());
      return limit(() => {
        abandoned.throwIfAborted();
        return work();
      });
    },
  };
}
