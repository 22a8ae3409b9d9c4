/**
 * The goal's latest check-ins, with Delete on the latest one (docs/DESIGN.md, 'Check-ins': only the
 * latest can be deleted; the goal, its target and diet plan go back to what they were before it).
 */
import { useState } from 'preact/hooks';
import type { Goal, ProgressEntry } from '../api/types.ts';
import { deleteCheckIn, listProgress } from '../api/queries.ts';
import { formatDateTime, formatPercent } from '../format.ts';
import { useLoad } from '../load.ts';
import { formatQuantity, useUnits } from '../units.ts';
import { FormAlert } from './forms.tsx';

/** How many of the latest check-ins are listed. */
const SHOWN = 3;

export function RecentCheckIns({ goal, onDeleted }: { goal: Goal; onDeleted: () => void }) {
  const units = useUnits();
  const entries = useLoad(() => listProgress(goal.id), [goal.id]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = entries.data?.slice(-SHOWN).reverse() ?? [];
  if (latest.length === 0) return null;

  const remove = async (entry: ProgressEntry) => {
    setBusy(true);
    try {
      await deleteCheckIn(goal.id, entry.id);
      setConfirming(false);
      setError(null);
      entries.reload();
      onDeleted();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The check-in could not be deleted. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card recent-check-ins" aria-labelledby="recent-check-ins-heading">
      <h2 id="recent-check-ins-heading">Your latest check-ins</h2>
      <FormAlert text={error} />
      <ul class="check-in-list">
        {latest.map((entry, i) => (
          <li key={entry.id} data-testid="check-in-row">
            <span>
              Week {entry.week_number} · {formatDateTime(entry.measured_at)} · {formatPercent(entry.body_fat_percentage)} ·{' '}
              {formatQuantity('weight', entry.weight_kg, units)}
            </span>
            {i === 0 && !confirming ? (
              <button type="button" class="button small" onClick={() => setConfirming(true)}>
                Delete
              </button>
            ) : null}
            {i === 0 && confirming ? (
              <span class="confirm-delete" role="group" aria-label="Confirm deleting this check-in">
                Delete the week {entry.week_number} check-in? Your target and diet plan go back to what they were before it.{' '}
                <button type="button" class="button small danger" disabled={busy} onClick={() => remove(entry)}>
                  Yes, delete it
                </button>{' '}
                <button type="button" class="button small" onClick={() => setConfirming(false)}>
                  Keep it
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <p class="muted">
        Only the latest check-in can be deleted: to remove an older one, delete the later ones first. The measurement stays in History.
      </p>
    </section>
  );
}
