/**
 * The calorie target's latest change in one sentence, and its history (GET /goals/{id}/targets):
 * the check-in result, the dashboard and the diet plan say why the target is what it is.
 */
import { getTargets } from '../api/queries.ts';
import { formatDate, formatKcal } from '../format.ts';
import { useLoad } from '../load.ts';

/** The reason of the latest row: one quiet line, or nothing while it loads or if it cannot be read. */
export function TargetChangeNote({ goalId }: { goalId: string }) {
  const targets = useLoad(() => getTargets(goalId), [goalId]);
  const latest = targets.data?.at(-1);
  return latest ? (
    <p class="target-change" data-testid="target-change">
      {latest.reason}
    </p>
  ) : null;
}

/** Every target of the goal, newest first. */
export function TargetHistory({ goalId }: { goalId: string }) {
  const targets = useLoad(() => getTargets(goalId), [goalId]);
  if (!targets.data || targets.data.length === 0) return null;
  return (
    <section class="target-history" aria-labelledby="target-history-heading">
      <h3 id="target-history-heading">Calorie target history</h3>
      <ol class="target-history-list">
        {[...targets.data].reverse().map((row, i) => (
          <li key={`${row.date}-${i}`}>
            <span class="target-history-day">{formatDate(`${row.date}T12:00:00Z`)}</span> <strong>{formatKcal(row.calories)}</strong>
            <span class="target-history-reason">{row.reason}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
