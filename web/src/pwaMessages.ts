/** What the page (web/src/pwa.ts) and the service worker (web/src/sw.ts) say to each other. */

/** The page asks the waiting worker to take over (the person chose Reload to update). */
export const SKIP_WAITING = 'SKIP_WAITING';
/** Background Sync's tag for sending the offline queue. */
export const SYNC_TAG = 'recomp-queue';
/** The worker asks an open window to send the queue, with a port for the answer. */
export const SYNC_REQUEST = 'recomp-sync';

/** A window's answer on that port: whether it sent the queue. */
export interface SyncAnswer {
  ok: boolean;
  error?: string;
}
