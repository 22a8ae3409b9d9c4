/**
 * Reads through the device (docs/DESIGN.md, 'Offline'): every signed-in GET is kept on the device
 * when it is answered, and answered from there when the service cannot be reached, so the app opens
 * with the person's last-seen data. A refusal (a 4xx, an ended sign-in) is never answered from the
 * device: only a missing answer is.
 */
import { ApiError } from '../api/problem.ts';
import { servedFromDevice } from './connection.ts';
import { recall, remember } from './db.ts';
import { signedInPerson } from './person.ts';

export async function readThrough<T>(path: string, load: () => Promise<T>): Promise<T> {
  const person = signedInPerson();
  if (!person) return load();
  try {
    const body = await load();
    // Not for someone who signed out while the answer was on its way.
    if (signedInPerson() === person) void remember(person, path, body);
    return body;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 0) throw error;
    const kept = await recall(person, path);
    if (!kept) throw error;
    servedFromDevice(kept.savedAt);
    return kept.body as T;
  }
}
