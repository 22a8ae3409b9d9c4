/// <reference lib="webworker" />
/**
 * The service worker (docs/DESIGN.md, 'The installable app'), built by vite-plugin-pwa into dist/sw.js
 * with the build's file list injected at `self.__WB_MANIFEST`. It serves one build's shell and
 * hashed assets from its cache, answers the app's screens with that shell, and never touches the
 * API: requests under /api/ are not routed, so they go to the network as the page sent them, and
 * their `no-store` answers are never kept.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { SKIP_WAITING, SYNC_REQUEST, SYNC_TAG, type SyncAnswer } from './pwaMessages.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

/** How long the open windows have to send the queue before the browser is told to retry later. */
const SYNC_ANSWER_MS = 60_000;

/** What the server answers itself, never with the app's shell (src/http/web.ts). */
const NOT_THE_APP = [/^\/api\//, /^\/docs(\/|$)/, /^\/openapi\.json$/, /^\/health(\/|$)/, /^\/metrics$/];

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: NOT_THE_APP }));

// registerType 'prompt': a new worker waits until the person chooses to reload (web/src/pwa.ts).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING) void self.skipWaiting();
});

/** Background Sync's event, which TypeScript's worker types do not have yet (https://wicg.github.io/background-sync/spec/). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

self.addEventListener('sync' as keyof ServiceWorkerGlobalScopeEventMap, (event) => {
  const sync = event as unknown as SyncEvent;
  if (sync.tag === SYNC_TAG) sync.waitUntil(askWindowsToSync());
});

/**
 * The queue lives in the page's IndexedDB and is sent by the page's code, so the worker only wakes
 * an open window and waits for one to say it sent it. Rejecting tells the browser to try again later.
 */
async function askWindowsToSync(): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (windows.length === 0) throw new Error('no open Recomp window to send the queue');
  await new Promise<void>((resolve, reject) => {
    let waiting = windows.length;
    const timer = setTimeout(() => reject(new Error('no window sent the queue in time')), SYNC_ANSWER_MS);
    const settle = (ok: boolean) => {
      waiting -= 1;
      if (ok || waiting === 0) clearTimeout(timer);
      if (ok) resolve();
      else if (waiting === 0) reject(new Error('no window could send the queue'));
    };
    for (const client of windows) {
      const channel = new MessageChannel();
      channel.port1.onmessage = (message: MessageEvent<SyncAnswer>) => settle(message.data?.ok === true);
      client.postMessage({ type: SYNC_REQUEST }, [channel.port2]);
    }
  });
}
