/**
 * The entries waiting on this device (offline/queue.ts), each marked **Waiting to sync**, and
 * those the server refused, each with the server's words and a way to fix or discard it. Nothing
 * the person entered disappears without them seeing it go.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import type { Problem } from '../api/types.ts';
import { toFormErrors } from '../errors.ts';
import { formatDate, formatDateTime, formatKcal } from '../format.ts';
import type { EntryRequest, QueuedEntry } from '../offline/entries.ts';
import { discard, queueStore, resend } from '../offline/queue.ts';
import { useStore } from '../store.ts';
import { formatQuantity, toDisplay, toMetric, unitLabel, type Units, useUnits } from '../units.ts';
import { FieldError, NumberField } from './forms.tsx';
import { parseNumber } from './measurementForm.tsx';
import './offline.css';

const day = (date: string) => formatDate(`${date}T12:00:00Z`);

function describe(request: EntryRequest, units: Units): string {
  switch (request.kind) {
    case 'weighIn':
      return `Weigh-in, ${day(request.date)}: ${formatQuantity('weight', request.weight_kg, units)}`;
    case 'intake':
      return `Food, ${day(request.date)}: ${formatKcal(request.body.calories)}`;
    case 'checkIn': {
      const at = request.measurement.measured_at;
      const weight = request.measurement.weight_kg;
      return `Check-in${typeof at === 'string' ? `, ${formatDateTime(at)}` : ''}${
        typeof weight === 'number' ? `: ${formatQuantity('weight', weight, units)}` : ''
      }`;
    }
  }
}

/** The server's refusal in the person's words and units: with no field of a form to place it next to, all of it is the top message. */
const refusalText = (problem: Problem, units: Units): string => toFormErrors(new ApiError(problem), [], units).top ?? problem.detail;

/** The one number a refused weigh-in or day's food can be corrected in: its weight, or its calories. */
function Fix({
  entry,
  request,
  units,
}: {
  entry: QueuedEntry;
  request: Extract<EntryRequest, { kind: 'weighIn' | 'intake' }>;
  units: Units;
}) {
  const weight = request.kind === 'weighIn';
  const [text, setText] = useState(weight ? toDisplay('weight', request.weight_kg, units).toFixed(1) : String(request.body.calories));
  const [error, setError] = useState<string | undefined>();
  const id = `fix-${entry.id}`;
  const send = (event: Event) => {
    event.preventDefault();
    const value = parseNumber(text);
    if (value === null) return setError('Enter a number.');
    setError(undefined);
    void resend(
      entry,
      request.kind === 'weighIn'
        ? { ...request, weight_kg: toMetric('weight', value, units) }
        : { ...request, body: { ...request.body, calories: Math.round(value) } },
    );
  };
  return (
    <form class="sync-fix" onSubmit={send} noValidate>
      <NumberField
        id={id}
        label={weight ? 'Weight' : 'Calories'}
        unit={weight ? unitLabel('weight', units) : 'kcal'}
        value={text}
        onValue={setText}
        error={error}
      />
      <button type="submit" class="button primary">
        Send again
      </button>
    </form>
  );
}

function Entry({ entry, units }: { entry: QueuedEntry; units: Units }) {
  const { request, refused } = entry;
  const id = entry.id ?? 0;
  return (
    <li class={`sync-entry${refused ? ' refused' : ''}`} data-testid="sync-entry">
      <div class="sync-head">
        <span>{describe(request, units)}</span>
        {refused ? <span class="badge bad">Not saved</span> : <span class="badge neutral">Waiting to sync</span>}
      </div>
      {refused ? (
        <>
          <FieldError id={`refused-${id}`} text={`The server refused it: ${refusalText(refused, units)}`} />
          {request.kind === 'checkIn' && refused.code === 'check_in_same_day' ? (
            <button type="button" class="button primary" onClick={() => void resend(entry, { ...request, replace: true })}>
              Replace that day’s check-in
            </button>
          ) : null}
          {request.kind === 'checkIn' ? null : <Fix entry={entry} request={request} units={units} />}
          <button type="button" class="button" onClick={() => void discard(id)}>
            Discard
          </button>
        </>
      ) : null}
    </li>
  );
}

export function SyncList() {
  const { entries } = useStore(queueStore);
  const units = useUnits();
  if (entries.length === 0) return null;
  const refused = entries.filter((e) => e.refused).length;
  return (
    <section class="card sync-list" aria-labelledby="sync-heading" data-testid="sync-list">
      <h2 id="sync-heading">{refused ? 'Entries to check' : 'Waiting to sync'}</h2>
      <p class="muted">
        {refused
          ? 'The server refused what is marked below: correct it and send it again, or discard it.'
          : 'Saved on this device. Sent to your account as soon as Recomp can be reached.'}
      </p>
      <ul class="sync-entries">
        {entries.map((entry) => (
          <Entry key={entry.id} entry={entry} units={units} />
        ))}
      </ul>
    </section>
  );
}
