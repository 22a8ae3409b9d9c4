/**
 * The page's side of the service worker (web/src/sw.ts; docs/DESIGN.md, 'The installable app'):
 * registering it, looking for a new build, the Reload to update choice, and Background Sync.
 */
import { Workbox } from 'workbox-window';
import { SYNC_REQUEST, SYNC_TAG, type SyncAnswer } from './pwaMessages.ts';
import { createStore } from './store.ts';

/** Whether a new build's worker is installed and waiting for the person to reload. */
export const updateReady = createStore(false);

const UPDATE_CHECK_MS = 60 * 60 * 1000;

let workbox: Workbox | undefined;

/** Registers the built app's worker and keeps looking for a newer one. */
export function registerServiceWorker() {
  // Vite's dev server, the only one with hot reloading, builds no worker. (Not import.meta.env.PROD:
  // a build run under vitest, as the browser tests' is, has NODE_ENV=test and so PROD false.)
  if (import.meta.hot || !('serviceWorker' in navigator)) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  workbox = wb;
  // A new build's worker waits (registerType 'prompt'); the person decides when to reload.
  wb.addEventListener('waiting', () => updateReady.set(true));
  // Once the new worker controls this page, the page still runs the old build: load the new one.
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate || event.isExternal) window.location.reload();
  });
  // Registration looks for an update at start; then on coming back to the app, and hourly for a tab left open.
  wb.register().catch(() => undefined);
  const check = () => void wb.update().catch(() => undefined);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
  setInterval(check, UPDATE_CHECK_MS);
}

/** Reload to update: the waiting worker takes over, and its `controlling` event reloads the page. */
export function applyUpdate() {
  workbox?.messageSkipWaiting();
}

/**
 * Runs `handler` (sending the offline queue) when the worker's Background Sync asks, and answers on
 * the port it gave whether the queue went, so the browser retries later when it did not.
 */
export function onSyncRequest(handler: () => Promise<void>) {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<{ type?: unknown } | null>) => {
    if (event.data?.type !== SYNC_REQUEST) return;
    const port = event.ports[0];
    const answer = (reply: SyncAnswer) => port?.postMessage(reply);
    handler().then(
      () => answer({ ok: true }),
      (error: unknown) => answer({ ok: false, error: String(error) }),
    );
  });
}

/** The part of the Background Sync API used here (https://wicg.github.io/background-sync/spec/), which not every browser has. */
interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/**
 * Asks the browser to wake the worker when the network is back, even if the tab is closed by then;
 * nothing where the browser has no Background Sync (the page's own `online` handling covers it).
 */
export async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = (await navigator.serviceWorker.getRegistration()) as (ServiceWorkerRegistration & SyncRegistration) | undefined;
  await registration?.sync?.register(SYNC_TAG).catch(() => undefined);
}
