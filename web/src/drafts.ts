/**
 * Unsent form input, kept in sessionStorage (this tab only) so that an expired sign-in, which
 * sends the person to Sign in and back, does not lose what they typed. Each draft names its
 * person: someone else signing in on the same tab does not see it. Cleared after a successful
 * save and on sign-out.
 */
import { useEffect, useState } from 'preact/hooks';

export type DraftForm = 'measurement' | 'progress';

const PREFIX = 'recomp.draft.';
const FORMS: readonly DraftForm[] = ['measurement', 'progress'];

// sessionStorage can be missing or full (private modes, quotas): a draft is a convenience, never an error.
function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function loadDraft<T>(form: DraftForm, userId: string, valid: (value: unknown) => value is T): T | null {
  try {
    const raw = storage()?.getItem(PREFIX + form);
    if (!raw) return null;
    const stored = JSON.parse(raw) as { userId?: unknown; value?: unknown };
    return stored.userId === userId && valid(stored.value) ? stored.value : null;
  } catch {
    return null;
  }
}

export function saveDraft(form: DraftForm, userId: string, value: unknown) {
  try {
    storage()?.setItem(PREFIX + form, JSON.stringify({ userId, value }));
  } catch {
    // not kept: see storage()
  }
}

export function clearDraft(form: DraftForm) {
  try {
    storage()?.removeItem(PREFIX + form);
  } catch {
    // see storage()
  }
}

export function clearDrafts() {
  for (const form of FORMS) clearDraft(form);
}

/**
 * A form's state that starts from its draft (when one of this person's is valid) and is kept as a
 * draft while `worthKeeping` (something was typed); otherwise the draft is dropped.
 */
export function useDraft<T>(
  form: DraftForm,
  userId: string,
  fresh: () => T,
  valid: (value: unknown) => value is T,
  worthKeeping: (value: T) => boolean,
) {
  const [value, setValue] = useState<T>(() => loadDraft(form, userId, valid) ?? fresh());
  useEffect(() => {
    if (worthKeeping(value)) saveDraft(form, userId, value);
    else clearDraft(form);
  }, [form, userId, value]);
  return [value, setValue] as const;
}
