/**
 * Whether the app reaches the service, and how old the data it shows is when it does not: the
 * banner's words (components/ConnectionBanner.tsx). `navigator.onLine` says only that there is a
 * network; a request that got no answer says the service is out of reach, and an answer says it
 * is back. Coming back bumps `refreshes` when something was shown from the device, and every
 * screen's loads follow it (load.ts), so that is read again.
 */
import { createStore } from '../store.ts';

export interface Connection {
  offline: boolean;
  /** When the oldest answer shown from the device was saved; null when everything shown is fresh. */
  dataAsOf: number | null;
}

/** The browser says it has no network at all (then nothing is worth trying). */
export const browserOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

export const connectionStore = createStore<Connection>({ offline: browserOffline(), dataAsOf: null });
export const refreshStore = createStore(0);

export function servedFromDevice(savedAt: number) {
  const { dataAsOf } = connectionStore.get();
  connectionStore.set({ offline: true, dataAsOf: dataAsOf === null ? savedAt : Math.min(dataAsOf, savedAt) });
}

export function unreachable() {
  if (!connectionStore.get().offline) connectionStore.set({ ...connectionStore.get(), offline: true });
}

/**
 * An answer came. If screens showed data from the device, they read it again; screens showing the
 * server's data are left alone (a reload could reset what a form shows).
 */
export function reached() {
  const { offline, dataAsOf } = connectionStore.get();
  if (!offline) return;
  connectionStore.set({ offline: false, dataAsOf: null });
  if (dataAsOf !== null) refreshStore.set(refreshStore.get() + 1);
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', unreachable);
  // The network is back: read again what came from the device; the next requests say whether the service is.
  window.addEventListener('online', reached);
}
