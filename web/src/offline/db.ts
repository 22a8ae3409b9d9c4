/**
 * What the app keeps on the device for the signed-in person (docs/DESIGN.md, 'Offline'): the last
 * answer of each read, to open without a network, and the queue of entries made offline. There is
 * one IndexedDB database per person, named by their id, so someone else signing in on the same
 * device sees none of it. It is deleted at sign-out and when the account is deleted; an ended
 * sign-in keeps it, so the queue is sent when the same person signs in again.
 *
 * Storage can be missing or refused (some private modes, a full disk): reads then come from the
 * network only, and the queue lives in memory until the tab closes.
 */
import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from 'idb';
import type { QueuedEntry } from './entries.ts';

export interface CachedRead {
  path: string;
  body: unknown;
  savedAt: number;
}

interface PersonDB extends DBSchema {
  reads: { key: string; value: CachedRead; indexes: { savedAt: number } };
  queue: { key: number; value: QueuedEntry };
}

/** Enough for every screen's reads several times over; the oldest go first. */
const MAX_READS = 200;
const PREFIX = 'recomp-person-';

const opened = new Map<string, Promise<IDBPDatabase<PersonDB> | null>>();
/**
 * People whose data this tab deleted: nothing opens their database again (an answer still on its
 * way would otherwise create it anew) until they sign in here again (`reopen`).
 */
const forgotten = new Set<string>();

export function reopen(person: string) {
  forgotten.delete(person);
}

function database(person: string): Promise<IDBPDatabase<PersonDB> | null> {
  if (forgotten.has(person)) return Promise.resolve(null);
  let db = opened.get(person);
  if (!db) {
    db = (
      typeof indexedDB === 'undefined'
        ? Promise.resolve(null)
        : openDB<PersonDB>(PREFIX + person, 1, {
            upgrade(upgrading) {
              upgrading.createObjectStore('reads', { keyPath: 'path' }).createIndex('savedAt', 'savedAt');
              upgrading.createObjectStore('queue', { keyPath: 'id', autoIncrement: true });
            },
            // Another tab deletes this person's data (a sign-out there): let it.
            blocking(_current, _next, event) {
              (event.target as IDBDatabase).close();
              opened.delete(person);
            },
          })
    ).catch(() => null);
    opened.set(person, db);
  }
  return db;
}

/** A read of "everything from a date on" (`?from=…` with no `to`): its path without the query, and the date. */
function openRange(path: string): { resource: string; from: string } | null {
  const [resource = '', query = ''] = path.split('?');
  const params = new URLSearchParams(query);
  const from = params.get('from');
  if (from === null || [...params.keys()].length !== 1) return null;
  return { resource, from };
}

/**
 * The read kept for `path`. Failing that, for a read of everything from a date on, the latest kept
 * read of the same resource from that date or earlier: the screens ask for "the last N days", which
 * starts a day later each morning, and a person opening the app offline wants yesterday's view of it
 * rather than nothing. A read of a closed range (`to`) or of a page is answered only by itself.
 */
export async function recall(person: string, path: string): Promise<CachedRead | undefined> {
  try {
    const db = await database(person);
    if (!db) return undefined;
    const exact = await db.get('reads', path);
    if (exact) return exact;
    const wanted = openRange(path);
    if (!wanted) return undefined;
    let latest: CachedRead | undefined;
    for (const read of await db.getAll('reads')) {
      const kept = openRange(read.path);
      if (kept?.resource !== wanted.resource || kept.from > wanted.from) continue;
      if (!latest || read.savedAt > latest.savedAt) latest = read;
    }
    return latest;
  } catch {
    return undefined;
  }
}

/** Best effort: a read that could not be kept is only missing offline. */
export async function remember(person: string, path: string, body: unknown): Promise<void> {
  try {
    const db = await database(person);
    if (!db) return;
    await db.put('reads', { path, body, savedAt: Date.now() });
    const count = await db.count('reads');
    if (count <= MAX_READS) return;
    const tx = db.transaction('reads', 'readwrite');
    let cursor = await tx.store.index('savedAt').openCursor();
    for (let excess = count - MAX_READS; cursor && excess > 0; excess--) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  } catch {
    // see remember's comment
  }
}

/** The queue held in memory when the device gives no storage. */
const memoryQueues = new Map<string, QueuedEntry[]>();
let memoryIds = 0;

export async function queued(person: string): Promise<QueuedEntry[]> {
  const db = await database(person);
  if (!db) return [...(memoryQueues.get(person) ?? [])];
  return db.getAll('queue');
}

/** Adds an entry at the end of the queue and gives it its id (its place in the order). */
export async function addQueued(person: string, entry: QueuedEntry): Promise<QueuedEntry> {
  const db = await database(person);
  if (!db) {
    const added = { ...entry, id: ++memoryIds };
    memoryQueues.set(person, [...(memoryQueues.get(person) ?? []), added]);
    return added;
  }
  const { id: _unset, ...fresh } = entry;
  const id = await db.add('queue', fresh as QueuedEntry);
  return { ...entry, id };
}

export async function putQueued(person: string, entry: QueuedEntry): Promise<void> {
  const db = await database(person);
  if (!db) {
    memoryQueues.set(
      person,
      (memoryQueues.get(person) ?? []).map((e) => (e.id === entry.id ? entry : e)),
    );
    return;
  }
  await db.put('queue', entry);
}

export async function deleteQueued(person: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await database(person);
  if (!db) {
    memoryQueues.set(
      person,
      (memoryQueues.get(person) ?? []).filter((e) => e.id === undefined || !ids.includes(e.id)),
    );
    return;
  }
  const tx = db.transaction('queue', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

/** How long signing out waits for the deletion; a tab that keeps the database open only delays it. */
const DELETE_WAIT_MS = 3_000;

/**
 * Deletes everything the device keeps for the person. Other tabs close their connection when asked
 * (`blocking` above); until the last has, the deletion waits, and signing out does not wait for it.
 */
export async function forget(person: string): Promise<void> {
  forgotten.add(person);
  memoryQueues.delete(person);
  const db = opened.get(person);
  opened.delete(person);
  (await db?.catch(() => null))?.close();
  if (typeof indexedDB === 'undefined') return;
  const deleted = deleteDB(PREFIX + person).catch(() => undefined);
  await Promise.race([deleted, new Promise((resolve) => setTimeout(resolve, DELETE_WAIT_MS))]);
}
