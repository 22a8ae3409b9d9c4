/**
 * The Daily log's logged days, newest first: each day's weight and food, its Complete day switch,
 * Edit (the day in the form above) and Delete (its weigh-in and food, confirmed in place).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { deleteIntake, deleteWeighIn, saveIntake } from '../api/queries.ts';
import { intakeWithComplete, macrosText } from '../daily.ts';
import { ignoreGone, type LoggedDay } from '../dayLog.ts';
import { formatDate, formatKcal } from '../format.ts';
import { formatQuantity, type Units } from '../units.ts';
import { ConfirmedDelete } from './ConfirmedDelete.tsx';
import { TableRegion } from './tableRegion.tsx';

/** Logged days listed before "Show all". */
const RECENT_DAYS = 14;

const when = (date: string) => formatDate(`${date}T12:00:00Z`);
const failure = (e: unknown) => (e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');

interface Props {
  days: LoggedDay[];
  /** How far back the list goes, for the sentence shown without any day. */
  historyDays: number;
  units: Units;
  onEdit: (day: LoggedDay) => void;
  /** A day's Complete changed or the day was deleted: the log is read again. */
  onChanged: (date: string) => void;
}

export function RecentDays({ days, historyDays, units, onEdit, onChanged }: Props) {
  const [all, setAll] = useState(false);
  // A deleted row goes at once, until the reload brings the list without it (a day logged again later
  // comes back). The focused "Yes, delete" went with it, so focus goes to the message.
  const [deleted, setDeleted] = useState<{ date: string; message: string } | null>(null);
  const [hidden, setHidden] = useState<string[]>([]);
  useEffect(() => setHidden([]), [days]);
  const status = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (deleted) status.current?.focus();
  }, [deleted]);
  const remaining = useMemo(() => days.filter((d) => !hidden.includes(d.date)), [days, hidden]);
  const shown = all ? remaining : remaining.slice(0, RECENT_DAYS);
  const onDeleted = (date: string) => {
    setHidden((previous) => [...previous, date]);
    setDeleted({ date, message: `The log of ${when(date)} was deleted.` });
    onChanged(date);
  };
  return (
    <section class="card logged-days" aria-labelledby="logged-days-heading">
      <h2 id="logged-days-heading">Logged days</h2>
      {deleted ? (
        <div class="alert alert-success" role="status" tabIndex={-1} ref={status}>
          {deleted.message}
        </div>
      ) : null}
      {remaining.length === 0 ? (
        <p>Nothing logged in the last {historyDays} days.</p>
      ) : (
        <>
          <p class="hint" id="logged-days-hint">
            A day logged only partly is marked <span class="badge bad">Partial</span> and left out of your expenditure. Untick Complete for
            a day with meals missing.
          </p>
          <TableRegion label="Logged days">
            <table class="cards">
              <caption class="visually-hidden">Weight and food logged each day, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col" class="num">
                    Weight
                  </th>
                  <th scope="col">Food</th>
                  <th scope="col">Complete day</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((day) => (
                  <DayRow key={day.date} day={day} units={units} onEdit={onEdit} onChanged={onChanged} onDeleted={onDeleted} />
                ))}
              </tbody>
            </table>
          </TableRegion>
          {remaining.length > shown.length ? (
            <button type="button" class="button small" onClick={() => setAll(true)}>
              Show all {remaining.length} days
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

/**
 * A logged day. Complete changes at once and is saved with a PUT of the whole day; a failure puts it
 * back and says why next to it. A click while the save is under way is ignored.
 */
function DayRow({
  day,
  units,
  onEdit,
  onChanged,
  onDeleted,
}: {
  day: LoggedDay;
  units: Units;
  onEdit: (day: LoggedDay) => void;
  onChanged: (date: string) => void;
  onDeleted: (date: string) => void;
}) {
  const intake = day.intake;
  const [complete, setComplete] = useState(intake?.complete ?? true);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The reload after a save (or a save of the form) brings the stored value.
  useEffect(() => setComplete(intake?.complete ?? true), [intake?.complete, intake?.updated_at]);
  const date = when(day.date);
  const id = `complete-${day.date}`;
  const macros = intake ? macrosText(intake) : '';

  const toggle = async (next: boolean) => {
    if (!intake) return;
    setComplete(next);
    setError(null);
    setSaving(true);
    try {
      await saveIntake(day.date, intakeWithComplete(intake, next));
      onChanged(day.date);
    } catch (e) {
      setComplete(!next);
      setError(failure(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <tr data-testid={`logged-${day.date}`}>
      <th scope="row" class="date">
        {date}
      </th>
      <td class="num" data-label="Weight">
        {day.weightKg === null ? '—' : formatQuantity('weight', day.weightKg, units)}
        {day.fromMeasurement ? <div class="muted note">measurement</div> : null}
      </td>
      <td data-label="Food">
        {intake ? formatKcal(intake.calories) : '—'}
        {intake && !complete ? (
          <>
            {' '}
            <span class="badge bad">Partial</span>
          </>
        ) : null}
        {macros ? <div class="muted note">{macros}</div> : null}
      </td>
      <td>
        {intake ? (
          <div class="check">
            <input
              type="checkbox"
              id={id}
              checked={complete}
              aria-describedby="logged-days-hint"
              onClick={(event) => {
                if (saving) event.preventDefault();
              }}
              onChange={(event) => void toggle(event.currentTarget.checked)}
            />
            <label for={id}>
              Complete<span class="visually-hidden"> day, {date}</span>
            </label>
          </div>
        ) : (
          '—'
        )}
        {error ? (
          <div class="alert alert-error row-error" role="alert">
            {error}
          </div>
        ) : null}
      </td>
      <td class="row-action">
        <DayActions day={day} onEdit={onEdit} onDeleted={onDeleted} />
      </td>
    </tr>
  );
}

/** Edit, and Delete: the day's weigh-in and food go (a measurement's weight stays, with History). */
function DayActions({ day, onEdit, onDeleted }: { day: LoggedDay; onEdit: (day: LoggedDay) => void; onDeleted: (date: string) => void }) {
  const date = when(day.date);
  const weighIn = day.weightKg !== null && !day.fromMeasurement;
  const edit = (
    <button type="button" class="button small" aria-label={`Edit ${date}`} onClick={() => onEdit(day)}>
      Edit
    </button>
  );
  if (!weighIn && !day.intake) return <div class="row-buttons">{edit}</div>;
  return (
    <ConfirmedDelete
      id={day.date}
      label={`Delete ${date}`}
      question={`Delete the weight and food of ${date}? It cannot be undone.`}
      beside={edit}
      remove={async () => {
        if (weighIn) await deleteWeighIn(day.date).catch(ignoreGone);
        if (day.intake) await deleteIntake(day.date).catch(ignoreGone);
        onDeleted(day.date);
      }}
    />
  );
}
