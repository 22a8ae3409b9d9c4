/**
 * The queue of entries made on this device (docs/DESIGN.md, 'Offline'). Every weigh-in, day's
 * intake and check-in a form saves goes through it: it is stored first, then sent, in order, with
 * the entries still waiting before it. Online that takes one request more than none, and offline
 * the entry simply stays, marked Waiting to sync, and survives closing the tab.
 *
 * - Sent when the network is back (`online`), when the app starts, on a Background Sync the
 *   service worker passes on, and after a failure with backoff (2 s doubling to 5 min).
 * - One tab sends at a time: a Web Lock per person. Tabs tell each other of changes with a
 *   BroadcastChannel, so each shows the same queue.
 * - A refusal (a 4xx) of an entry the person has left is kept with the server's message, to fix or
 *   discard; a refusal of the entry being saved right now goes back to its form. A failure (no
 *   answer, a 5xx, 408, 429) keeps the entry and stops, so the order holds.
 * - An ended sign-in stops sending and keeps the queue for when the same person signs in again.
 */
import { ApiError, SessionExpired } from '../api/client.ts';
import { newIdempotencyKey, outcomeUnknown } from '../api/idempotency.ts';
import { requestBackgroundSync } from '../pwa.ts';
import { createStore } from '../store.ts';
import { browserOffline, refreshStore } from './connection.ts';
import { addQueued, deleteQueued, forget, putQueued, queued, reopen } from './db.ts';
import { type EntryRequest, type QueuedEntry, sendEntry, supersedes } from './entries.ts';
import { signedInPerson } from './person.ts';

export interface QueueState {
  person: string | null;
  entries: QueuedEntry[];
}

export const queueStore = createStore<QueueState>({ person: null, entries: [] });

/** What became of one entry in a round of sending. */
type Outcome = { status: 'sent'; answer: unknown } | { status: 'refused'; error: ApiError } | { status: 'waiting' };

/** A saved entry: its answer, or `queued` when it waits on the device. */
export type Submitted<T> = { status: 'sent'; answer: T } | { status: 'queued' };

const FIRST_RETRY_MS = 2_000;
const LAST_RETRY_MS = 5 * 60_000;

let person: string | null = null;
let failures = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('recomp-queue');

/** Within this tab, and across tabs where the browser has Web Locks: one sender per person. */
let tabChain: Promise<unknown> = Promise.resolve();
function exclusively<T>(who: string, work: () => Promise<T>, wait: boolean): Promise<T | undefined> {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
  if (locks)
    return locks.request(`recomp-queue:${who}`, { ifAvailable: !wait }, (lock) => (lock ? work() : undefined)) as Promise<T | undefined>;
  const run = tabChain.then(work, work);
  tabChain = run.catch(() => undefined);
  return run;
}

async function show(who: string) {
  const entries = await queued(who);
  if (person === who) queueStore.set({ person: who, entries });
}

function changed(who: string) {
  void show(who);
  channel?.postMessage(who);
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  failures++;
  const delay = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
  // Jitter, so that devices coming back online together do not all send at once.
  retryTimer = setTimeout(() => void flush(), delay / 2 + Math.random() * (delay / 2));
}

/** Sends the waiting entries in order until one cannot be sent now. */
async function sendWaiting(who: string): Promise<Map<number, Outcome>> {
  const outcomes = new Map<number, Outcome>();
  if (browserOffline()) return outcomes;
  for (const entry of await queued(who)) {
    const id = entry.id;
    if (id === undefined || entry.refused) continue;
    let current = entry;
    try {
      const answer = await sendEntry(entry.request, async (request) => {
        current = { ...current, request };
        await putQueued(who, current);
      });
      await deleteQueued(who, [id]);
      outcomes.set(id, { status: 'sent', answer });
      failures = 0;
    } catch (error) {
      // An ended sign-in: stop, and keep everything for the same person's next sign-in.
      if (error instanceof SessionExpired) {
        outcomes.set(id, { status: 'waiting' });
        break;
      }
      if (error instanceof ApiError && !outcomeUnknown(error)) {
        await putQueued(who, { ...current, refused: error.problem });
        outcomes.set(id, { status: 'refused', error });
        continue;
      }
      outcomes.set(id, { status: 'waiting' });
      scheduleRetry();
      break;
    }
  }
  return outcomes;
}

/** Sends what waits, if no other tab is sending it. */
export async function flush(): Promise<void> {
  const who = person;
  if (!who) return;
  clearTimeout(retryTimer);
  const outcomes = await exclusively(who, () => sendWaiting(who), false);
  if (!outcomes || outcomes.size === 0) return;
  changed(who);
  // What the screens showed from before the entries reached the server is read again.
  if ([...outcomes.values()].some((o) => o.status === 'sent')) refreshStore.set(refreshStore.get() + 1);
}

/**
 * Saves an entry: queued, then sent at once with those waiting before it. Its answer when it was
 * sent; `queued` when it waits (offline, no answer, or the sign-in ended); a refusal throws, for its
 * form to show, and leaves nothing queued.
 */
export async function submit<T>(request: EntryRequest): Promise<Submitted<T>> {
  const who = person ?? signedInPerson();
  if (!who) return { status: 'sent', answer: (await sendEntry(request, async () => undefined)) as T };
  const outcome = await exclusively(
    who,
    async () => {
      const day = supersedes(request);
      if (day) {
        const older = (await queued(who)).filter((e) => supersedes(e.request) === day);
        await deleteQueued(
          who,
          older.flatMap((e) => (e.id === undefined ? [] : [e.id])),
        );
      }
      const entry = await addQueued(who, { request, queuedAt: Date.now(), refused: null });
      const outcomes = await sendWaiting(who);
      const mine = entry.id === undefined ? undefined : outcomes.get(entry.id);
      if (mine?.status === 'refused' && entry.id !== undefined) await deleteQueued(who, [entry.id]);
      return mine;
    },
    true,
  );
  changed(who);
  if (outcome?.status === 'refused') throw outcome.error;
  if (outcome?.status === 'sent') return { status: 'sent', answer: outcome.answer as T };
  // The browser wakes the service worker when the network is back, which asks an open tab to send.
  void requestBackgroundSync();
  return { status: 'queued' };
}

/**
 * A Background Sync's request (pwa.ts): sends what waits, and fails while any of it is still
 * waiting, so the browser tries again later. Refused entries wait for the person, not the network.
 */
export async function syncNow(): Promise<void> {
  const who = person;
  if (!who) throw new Error('no one is signed in');
  await flush();
  if ((await queued(who)).some((entry) => entry.refused === null)) throw new Error('entries are still waiting to sync');
}

/** Drops an entry (one the server refused, or one the person no longer wants sent). */
export async function discard(id: number): Promise<void> {
  const who = person;
  if (!who) return;
  await exclusively(who, () => deleteQueued(who, [id]), true);
  changed(who);
}

/**
 * Sends an entry again with what the person corrected. A changed POST is a new request to the
 * server, so a check-in's keys are new (the server keeps a refused key's answer for a day).
 */
export async function resend(entry: QueuedEntry, request: EntryRequest): Promise<void> {
  const who = person;
  if (!who || entry.id === undefined) return;
  const fresh: EntryRequest =
    request.kind === 'checkIn'
      ? {
          ...request,
          checkInKey: newIdempotencyKey(),
          ...(request.measurementId === null ? { measurementKey: newIdempotencyKey() } : {}),
        }
      : request;
  await exclusively(who, () => putQueued(who, { ...entry, request: fresh, refused: null }), true);
  failures = 0;
  changed(who);
  await flush();
}

/** The person's queue is shown and sent from now on (at sign-in and at start). */
export async function startQueue(who: string): Promise<void> {
  reopen(who);
  if (person !== who) {
    stopQueue();
    person = who;
    failures = 0;
  }
  await show(who);
  await flush();
}

/** Nothing is sent any more (the sign-in ended); the queue stays on the device. */
export function stopQueue() {
  clearTimeout(retryTimer);
  person = null;
  queueStore.set({ person: null, entries: [] });
}

/** Deletes everything the device keeps for the person: at sign-out and when the account is deleted. */
export async function forgetPerson(who: string): Promise<void> {
  stopQueue();
  await forget(who);
  channel?.postMessage(who);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    failures = 0;
    void flush();
  });
  channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.data !== person || !person) return;
    // Signed out in another tab (the stored sign-in is shared): nothing more to show or send here.
    if (signedInPerson() !== person) stopQueue();
    else void show(person);
  });
}
