/**
 * The goal's latest check-ins, with Delete on the latest one (docs/DESIGN.md, 'Check-ins': only the
 * latest can be deleted; the goal, its target and diet plan go back to what they were before it).
 */
import type { Goal } from '../api/types.ts';
import { deleteCheckIn, listProgress } from '../api/queries.ts';
import { formatDateTime, formatPercent } from '../format.ts';
import { useLoad } from '../load.ts';
import { formatQuantity, useUnits } from '../units.ts';
import { ConfirmedDelete } from './ConfirmedDelete.tsx';

/** How many of the latest check-ins are listed. */
const SHOWN = 3;

export function RecentCheckIns({ goal, onDeleted }: { goal: Goal; onDeleted: () => void }) {
  const units = useUnits();
  const entries = useLoad(() => listProgress(goal.id), [goal.id]);
  const latest = entries.data?.slice(-SHOWN).reverse() ?? [];
  if (latest.length === 0) return null;

  return (
    <section class="card recent-check-ins" aria-labelledby="recent-check-ins-heading">
      <h2 id="recent-check-ins-heading">Your latest check-ins</h2>
      <ul class="check-in-list">
        {latest.map((entry, i) => (
          <li key={entry.id} data-testid="check-in-row">
            <span>
              Week {entry.week_number} · {formatDateTime(entry.measured_at)} · {formatPercent(entry.body_fat_percentage)} ·{' '}
              {formatQuantity('weight', entry.weight_kg, units)}
            </span>
            {i === 0 ? (
              <ConfirmedDelete
                id={`check-in-${entry.id}`}
                label={`Delete the week ${entry.week_number} check-in`}
                question={`Delete the week ${entry.week_number} check-in? Your target and diet plan go back to what they were before it.`}
                remove={async () => {
                  await deleteCheckIn(goal.id, entry.id);
                  entries.reload();
                  onDeleted();
                }}
              />
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
