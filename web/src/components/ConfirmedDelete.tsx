/**
 * Delete, confirmed in its place (History's measurements, the Daily log's days): the question takes
 * the button's place with focus on "Yes, delete"; a failure is said next to Delete, which gets focus
 * back. `remove` deletes and reports it done; what it throws is the failure shown.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { useConfirmation } from './confirmation.ts';

interface Props {
  /** Unique on the screen: names the question for the group around it. */
  id: string;
  /** The button's accessible name: "Delete the measurement of 1 Dec 2026, 07:00". */
  label: string;
  question: string;
  remove: () => Promise<void>;
  /** Buttons shown beside Delete while no question is open (the Daily log's Edit). */
  beside?: ComponentChildren;
}

export function ConfirmedDelete({ id, label, question, remove, beside }: Props) {
  const confirmation = useConfirmation<HTMLButtonElement>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const questionId = `confirm-delete-${id}`;

  const confirm = async () => {
    setBusy(true);
    try {
      await remove();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');
      // Focus goes back to Delete, next to the message.
      confirmation.cancel();
      setBusy(false);
    }
  };

  return (
    <>
      {confirmation.open ? (
        <div class="confirm" role="group" aria-labelledby={questionId}>
          <p id={questionId}>{question}</p>
          <div class="actions">
            <button type="button" class="button small danger" onClick={confirm} disabled={busy} ref={confirmation.first}>
              Yes, delete
            </button>
            <button type="button" class="button small" onClick={confirmation.cancel}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <div class="row-buttons">
          {beside}
          <button
            type="button"
            class="button small danger"
            aria-label={label}
            onClick={() => {
              setError(null);
              confirmation.show();
            }}
            ref={confirmation.trigger}
          >
            Delete
          </button>
        </div>
      )}
      {error ? (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
    </>
  );
}
