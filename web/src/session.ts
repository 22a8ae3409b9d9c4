/** Who is signed in. The tokens live in api/tokens.ts; this holds the profile the screens show. */
import { api, ApiError, hasStoredSession, SessionExpired, signIn, signOut } from './api/client.ts';
import { clearTokens, saveTokens } from './api/tokens.ts';
import type { TokenPair, User } from './api/types.ts';
import { clearDrafts } from './drafts.ts';
import { forgetPerson, startQueue, stopQueue } from './offline/queue.ts';
import { createStore, useStore } from './store.ts';
import { followAccount } from './units.ts';

export type Session =
  | { status: 'loading' }
  | { status: 'signedOut' }
  /** Signed in, but the profile could not be loaded (no connection, 429, 5xx): the tokens stay for a retry. */
  | { status: 'unavailable'; message: string }
  | { status: 'signedIn'; user: User };

export const sessionStore = createStore<Session>({ status: hasStoredSession() ? 'loading' : 'signedOut' });
export const useSession = () => useStore(sessionStore);

/** The profile is the account's word on the preferences too: the units follow it before any screen draws with them. */
function signedIn(user: User) {
  followAccount(user);
  sessionStore.set({ status: 'signedIn', user });
  // Entries this person made on this device while offline, or before a sign-in ended, go out now.
  void startQueue(user.id);
}

/** At start: a stored sign-in is resumed (refreshing its access token if needed). */
export async function resumeSession(): Promise<void> {
  if (!hasStoredSession()) {
    sessionStore.set({ status: 'signedOut' });
    return;
  }
  // Try again after a failure shows that it is trying.
  if (sessionStore.get().status === 'unavailable') sessionStore.set({ status: 'loading' });
  try {
    signedIn(await api<User>('GET', '/users/me'));
  } catch (error) {
    // The sign-in is over only when the API says so; a rate limit, an outage or no connection keeps
    // the tokens, and reloading or Try again resumes once the API answers.
    if (error instanceof SessionExpired || !hasStoredSession()) sessionStore.set({ status: 'signedOut' });
    else
      sessionStore.set({
        status: 'unavailable',
        message: error instanceof ApiError ? error.message : 'Something went wrong. Please try again.',
      });
  }
}

export async function startSession(email: string, password: string): Promise<void> {
  await signIn(email, password);
  signedIn(await api<User>('GET', '/users/me'));
}

/** A sign-in made another way (single sign-on, screens/SingleSignOn.tsx): its tokens kept, the profile loaded. */
export async function startSessionWith(pair: TokenPair): Promise<void> {
  saveTokens(pair);
  signedIn(await api<User>('GET', '/users/me'));
}

export function updateUser(user: User) {
  signedIn(user);
}

/** Signing out deletes what the device keeps for the person: their last-seen data and their queue. */
export async function endSession(): Promise<void> {
  const current = sessionStore.get();
  await signOut();
  clearDrafts();
  if (current.status === 'signedIn') await forgetPerson(current.user.id);
  sessionStore.set({ status: 'signedOut' });
}

/** After the account was deleted: there is nothing left to sign out of on the server, nor to keep here. */
export async function accountDeleted(): Promise<void> {
  const current = sessionStore.get();
  clearTokens();
  clearDrafts();
  if (current.status === 'signedIn') await forgetPerson(current.user.id);
  sessionStore.set({ status: 'signedOut' });
}

/** The sign-in ended: nothing more is sent, and the person's queue waits for their next sign-in. */
export function sessionLost() {
  stopQueue();
  if (sessionStore.get().status !== 'signedOut') sessionStore.set({ status: 'signedOut' });
}
