/**
 * Change rate on the goal card: pick a new weekly rate, see the calorie target and the forecast it
 * would give (GET /goals/{id}/rate-preview, the same computation as the PATCH), then save it.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { changeRate, previewRate } from '../api/queries.ts';
import type { Goal } from '../api/types.ts';
import { rateLabel, WEEKLY_RATES } from '../daily.ts';
import { formatKcal } from '../format.ts';
import { forecastText } from '../goalOutlook.ts';
import { useLoad } from '../load.ts';
import { FormAlert, SelectField } from './forms.tsx';

export function ChangeRate({ goal, limit, onSaved }: { goal: Goal; limit: number | null; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [rate, setRate] = useState(String(goal.weekly_rate_percent));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unchanged = Number(rate) === goal.weekly_rate_percent;
  // The goal's own rate needs no preview: the card above already tells its plan.
  const preview = useLoad(() => (open && !unchanged ? previewRate(goal.id, Number(rate)) : Promise.resolve(null)), [goal.id, rate, open]);
  const options = WEEKLY_RATES[goal.goal_type].values.map((r) => ({ value: String(r), label: rateLabel(goal.goal_type, r) }));
  if (!options.some((o) => o.value === String(goal.weekly_rate_percent))) {
    options.unshift({ value: String(goal.weekly_rate_percent), label: rateLabel(goal.goal_type, goal.weekly_rate_percent) });
  }

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await changeRate(goal.id, Number(rate));
      setOpen(false);
      onSaved();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The rate could not be changed.');
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" class="button" onClick={() => setOpen(true)} data-testid="change-rate">
        Change rate
      </button>
    );
  }
  // Only the answer for the rate now chosen: while another loads, the previous one would be told under the new rate.
  const data = preview.data && preview.data.weekly_rate_percent === Number(rate) ? preview.data : null;
  return (
    <div class="change-rate" data-testid="change-rate-form">
      <SelectField id="new-weekly-rate" label="New weekly rate" value={rate} onValue={setRate} options={options} />
      <p aria-live="polite" data-testid="rate-preview">
        {unchanged ? 'This is your current rate: choose another to see its calorie target and forecast.' : null}
        {!unchanged && preview.loading && !data ? 'Working out the new plan…' : null}
        {data
          ? `New target ${formatKcal(data.target_calories)} a day (now ${formatKcal(goal.target_calories)}). ${forecastText(data.forecast, limit)}`
          : null}
      </p>
      <FormAlert text={error ?? (preview.error ? `The new plan could not be worked out. ${preview.error}` : null)} />
      <div class="actions">
        <button
          type="button"
          class="button primary"
          disabled={busy || unchanged || !data}
          aria-busy={busy ? 'true' : undefined}
          onClick={save}
        >
          Save rate
        </button>
        <button type="button" class="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
