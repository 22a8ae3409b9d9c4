/**
 * Today's weight and calories at the top of the dashboard (docs/DESIGN.md, 'Daily logs'): open the
 * app, type the weight, tap Save. The fields are there at once and never wait for the network; what
 * today has logged arrives when it does. A logged value is shown with a way to change it; a refusal
 * is shown next to its field, keeping what was typed.
 */
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { todayValue } from '../daily.ts';
import { toFormErrors } from '../errors.ts';
import { formatKcal } from '../format.ts';
import { Link } from '../router.tsx';
import { queueStore } from '../offline/queue.ts';
import { useStore } from '../store.ts';
import {
  loadToday,
  queuedToday,
  readCalories,
  readWeight,
  type SubmitEntry,
  type Submitted,
  submitTodayEntry,
  type TodayLog,
  weightText,
} from '../todayEntries.ts';
import { formatQuantity, unitLabel, type Units, useUnits } from '../units.ts';
import { FieldError } from './forms.tsx';
import './TodayCard.css';

/** A value the card shows: as loaded, as just saved, or as waiting on the device (or refused there: SyncList has it). */
type Shown<T> = { value: T; state: 'logged' | Submitted | 'refused' };

/**
 * What to show: a value waiting in the device's queue first (it is the person's latest word), then
 * what was just saved (once its queued entry is gone it was sent), then what today has logged.
 */
function shownValue(kind: 'weigh-in' | 'intake', saved: Shown<number> | null, logged: number | null): Shown<number> | null {
  const waiting = queuedToday(queueStore.get().entries, kind, todayValue());
  if (waiting) return { value: waiting.value, state: waiting.refused ? 'refused' : 'queued' };
  if (saved) return { value: saved.value, state: saved.state === 'queued' ? 'saved' : saved.state };
  return logged === null ? null : { value: logged, state: 'logged' };
}

function refusal(error: unknown, field: string, units: Units): string {
  const { top, fields } = toFormErrors(error, [field], units);
  return fields[field] ?? top ?? 'Something went wrong. Please try again.';
}

export function TodayCard({ submit = submitTodayEntry }: { submit?: SubmitEntry }) {
  const units = useUnits();
  // Drawn again whenever the queue changes, so a mark goes when its entry is sent.
  useStore(queueStore);
  const [log, setLog] = useState<TodayLog | null>(null);
  const pending = useRef<Promise<TodayLog | null>>(Promise.resolve(null));

  const load = () => {
    // A failed read leaves the fields as they are: the card works without it (known reads again).
    const loading = loadToday().then(
      (loaded) => {
        setLog(loaded);
        return loaded;
      },
      () => null,
    );
    pending.current = loading;
    return loading;
  };
  useEffect(() => void load(), []);

  /** What today has logged, read again if the first read failed; null when it cannot be known. */
  const known = async () => log ?? (await pending.current) ?? (await load());

  return (
    <section class="card today-card" aria-labelledby="today-heading" data-testid="today-card">
      <h2 id="today-heading">Today</h2>
      <WeightEntry log={log} units={units} submit={submit} />
      <CaloriesEntry log={log} known={known} submit={submit} units={units} />
    </section>
  );
}

interface EntryProps {
  log: TodayLog | null;
  units: Units;
  submit: SubmitEntry;
}

function WeightEntry({ log, units, submit }: EntryProps) {
  const [text, setText] = useState('');
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<Shown<number> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const shownRef = useRef<HTMLParagraphElement>(null);
  const shown = shownValue('weigh-in', saved, log?.weightKg ?? null);

  const save = async (event: Event) => {
    event.preventDefault();
    const read = readWeight(text, units);
    if ('error' in read) return setError(read.error);
    setError(null);
    setBusy(true);
    try {
      const state = await submit({ kind: 'weigh-in', date: todayValue(), weightKg: read.weightKg });
      setSaved({ value: read.weightKg, state });
      setEditing(false);
      setText('');
    } catch (failure) {
      setError(refusal(failure, 'weight_kg', units));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (saved) shownRef.current?.focus({ preventScroll: true });
  }, [saved]);

  if (shown && !editing)
    return (
      <div class="today-row">
        <p class="today-value" role="status" tabIndex={-1} ref={shownRef} data-testid="today-weight">
          {shown.state === 'saved' ? 'Saved' : 'Today'}: <strong>{formatQuantity('weight', shown.value, units)}</strong>
          <SyncMark state={shown.state} />
        </p>
        <button
          type="button"
          class="button"
          aria-label="Change today’s weight"
          onClick={() => {
            setText(weightText(shown.value, units));
            setEditing(true);
            // The field is drawn on the next render: focus it then.
            requestAnimationFrame(() => inputRef.current?.focus());
          }}
        >
          Change
        </button>
      </div>
    );
  return (
    <OneField
      id="today-weight"
      label="Today’s weight"
      unit={unitLabel('weight', units)}
      placeholder={log?.trendKg == null ? undefined : weightText(log.trendKg, units)}
      value={text}
      onValue={(value) => {
        setText(value);
        setEditing(true);
      }}
      error={error}
      busy={busy}
      onSubmit={save}
      inputRef={inputRef}
      onCancel={
        shown
          ? () => {
              setEditing(false);
              setText('');
              setError(null);
            }
          : undefined
      }
    />
  );
}

function CaloriesEntry({ log, known, units, submit }: EntryProps & { known: () => Promise<TodayLog | null> }) {
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<Shown<number> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const intake = log?.intake ?? null;
  const shown = shownValue('intake', saved, intake?.calories ?? null);

  const save = async (event: Event) => {
    event.preventDefault();
    const read = readCalories(text);
    if ('error' in read) return setError(read.error);
    setError(null);
    setBusy(true);
    try {
      // The card never replaces a logged day (its macros would go): it waits to know what today holds.
      const today = await known();
      if (!today) return setError('Could not check what today has logged. Please try again.');
      if (today.intake) return;
      const state = await submit({ kind: 'intake', date: today.date, calories: read.calories });
      setSaved({ value: read.calories, state });
      setText('');
    } catch (failure) {
      setError(refusal(failure, 'calories', units));
    } finally {
      setBusy(false);
    }
  };

  if (shown)
    return (
      <div class="today-row">
        <p class="today-value" role="status" data-testid="today-calories">
          Calories today: <strong>{formatKcal(shown.value)}</strong>
          {intake && !intake.complete && !saved ? ' (part of the day)' : null}
          <SyncMark state={shown.state} />
        </p>
        <Link href="/daily">Edit in Daily log</Link>
      </div>
    );
  return (
    <OneField
      id="today-calories"
      label="Calories eaten today"
      unit="kcal"
      value={text}
      onValue={setText}
      error={error}
      busy={busy}
      onSubmit={save}
    />
  );
}

function SyncMark({ state }: { state: Shown<number>['state'] }) {
  if (state === 'refused') return <span class="badge bad today-sync"> Not saved</span>;
  return state === 'queued' ? <span class="badge today-sync"> Waiting to sync</span> : null;
}

/** One number, its unit in the label, and Save beside it: Enter on the phone's keyboard sends it too. */
function OneField(props: {
  id: string;
  label: string;
  unit: string;
  placeholder?: string | undefined;
  value: string;
  onValue: (value: string) => void;
  error: string | null;
  busy: boolean;
  onSubmit: (event: Event) => void;
  inputRef?: Ref<HTMLInputElement>;
  /** Back to the value as logged, when there is one. */
  onCancel?: (() => void) | undefined;
}) {
  const { id, error } = props;
  return (
    <form class="today-form" onSubmit={props.onSubmit} noValidate>
      <label for={id}>
        {props.label} <span class="unit">({props.unit})</span>
      </label>
      <div class="today-input">
        <input
          id={id}
          name={id}
          type="text"
          inputMode="decimal"
          enterKeyHint="done"
          autoComplete="off"
          spellcheck={false}
          placeholder={props.placeholder}
          value={props.value}
          onInput={(event) => props.onValue(event.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          ref={props.inputRef}
        />
        <button type="submit" class="button primary" disabled={props.busy} aria-busy={props.busy ? 'true' : undefined}>
          Save
        </button>
        {props.onCancel ? (
          <button type="button" class="button" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      <FieldError id={id} text={error ?? undefined} />
    </form>
  );
}
