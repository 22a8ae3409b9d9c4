/**
 * The Daily log's form: the chosen day's saved weight and food, to edit (docs/DESIGN.md, 'Daily logs').
 * It opens on today and loads a day again whenever its date changes, so a weight logged earlier is
 * shown, never replaced unseen. Save sends only what changed; its answer, and any failure that no
 * field owns, appear next to the button, scrolled into view and focused.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteIntake, deleteWeighIn, getIntake, getWeights } from '../api/queries.ts';
import { todayValue } from '../daily.ts';
import { type DayField, type DayFields, dayChanges, dayFields, ignoreGone, type LoggedDay, loggedDays } from '../dayLog.ts';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { formatDate } from '../format.ts';
import { submit as submitEntry } from '../offline/queue.ts';
import { toMetric, unitLabel, type Units } from '../units.ts';
import { CheckboxField, FormAlert, InputField, NumberField, SubmitButton, useFocusFirstError } from './forms.tsx';
import { parseNumber } from './measurementForm.tsx';

const FIELDS = ['date', 'weight_kg', 'calories', 'protein_g', 'carbs_g', 'fat_g'] as const;

/** A request from outside the form: `edit` shows that day (Edit in the list), `reload` reads the day again if it is the one shown. */
export type DayRequest = { kind: 'edit'; day: LoggedDay; at: number } | { kind: 'reload'; date: string; at: number };

type DayState = 'loading' | 'empty' | 'logged' | 'failed';
type Outcome = { kind: 'saved' | 'queued'; text: string } | null;

const when = (date: string) => formatDate(`${date}T12:00:00Z`);

export function DayForm({ units, request, onSaved }: { units: Units; request: DayRequest | null; onSaved: () => void }) {
  const [date, setDate] = useState(todayValue());
  const [fields, setFields] = useState<DayFields>(() => dayFields(null, units));
  // The day as saved: what Save compares the form with.
  const [before, setBefore] = useState<DayFields>(fields);
  const [day, setDay] = useState<{ state: DayState; fromMeasurement: boolean }>({ state: 'loading', fromMeasurement: false });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);
  const weightRef = useRef<HTMLInputElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  // Typed since the day was chosen: a load answering late does not overwrite it.
  const typed = useRef(false);
  const loads = useRef(0);

  const show = (loaded: LoggedDay | null) => {
    const saved = dayFields(loaded, units);
    setBefore(saved);
    if (!typed.current) setFields(saved);
    setDay({ state: loaded ? 'logged' : 'empty', fromMeasurement: loaded?.fromMeasurement ?? false });
  };

  const load = async (chosen: string) => {
    const load = ++loads.current;
    setDay({ state: 'loading', fromMeasurement: false });
    try {
      const [weights, intake] = await Promise.all([getWeights(chosen, chosen), getIntake(chosen, chosen)]);
      if (load === loads.current) show(loggedDays(weights, intake)[0] ?? null);
    } catch {
      if (load !== loads.current) return;
      // Never another day's values under this date: what is saved now is all this day will hold.
      const empty = dayFields(null, units);
      setBefore(empty);
      if (!typed.current) setFields(empty);
      setDay({ state: 'failed', fromMeasurement: false });
    }
  };

  const choose = (chosen: string) => {
    setDate(chosen);
    typed.current = false;
    setErrors(noErrors);
    setOutcome(null);
    if (chosen) void load(chosen);
    else show(null);
  };

  // Today on opening, and the same day again in the other units when they change.
  useEffect(() => {
    typed.current = false;
    void load(date);
  }, [units]);

  useEffect(() => {
    if (!request) return;
    if (request.kind === 'reload') {
      if (request.date === date) choose(date);
      return;
    }
    loads.current++;
    setDate(request.day.date);
    typed.current = false;
    setErrors(noErrors);
    setOutcome(null);
    show(request.day);
    // The person asked to edit this day: take them to its first box.
    weightRef.current?.focus();
    weightRef.current?.scrollIntoView({ block: 'center' });
  }, [request]);

  // A confirmation, or a failure no field owns, is where the person is looking: next to Save, in view, focused.
  useEffect(() => {
    if (outcome || (errors.top && Object.keys(errors.fields).length === 0)) {
      outcomeRef.current?.focus({ preventScroll: true });
      outcomeRef.current?.scrollIntoView({ block: 'center' });
    }
  }, [outcome, errors]);

  const set = (field: DayField) => (value: string) => {
    typed.current = true;
    setOutcome(null);
    setFields((f) => ({ ...f, [field]: value }));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setOutcome(null);
    const invalid: Record<string, string> = {};
    const read = (field: DayField) => {
      const text = fields[field].trim();
      if (!text) return null;
      const n = parseNumber(text);
      if (n === null) invalid[field] = 'Enter a number.';
      return n;
    };
    const weight = read('weight_kg');
    const calories = read('calories');
    const macros = { protein_g: read('protein_g'), carbs_g: read('carbs_g'), fat_g: read('fat_g') };
    const changes = dayChanges(before, fields);
    if (!date) invalid.date = 'Enter a date.';
    if (weight === null && calories === null && day.state !== 'logged' && !invalid.weight_kg && !invalid.calories)
      invalid.weight_kg = 'Enter your weight, your calories, or both.';
    if (changes.weight === 'delete' && day.fromMeasurement)
      invalid.weight_kg = 'This weight is from a measurement of the day: change or delete it in History.';
    if (calories === null && Object.values(macros).some((m) => m !== null)) invalid.calories = 'Enter the day’s calories with the macros.';
    if (Object.keys(invalid).length)
      return setErrors({
        top: Object.keys(invalid).length === 1 ? 'Please correct the field marked below.' : 'Please correct the fields marked below.',
        fields: invalid,
      });
    setErrors(noErrors);
    if (changes.weight === 'keep' && changes.intake === 'keep')
      return setOutcome({ kind: 'saved', text: `Nothing changed for ${when(date)}.` });
    setBusy(true);
    try {
      // Saves go through the device's queue: offline they wait there, marked, and are sent later (offline/queue.ts).
      const saved = [];
      if (changes.weight === 'save' && weight !== null)
        saved.push(await submitEntry({ kind: 'weighIn', date, weight_kg: toMetric('weight', weight, units) }));
      if (changes.weight === 'delete') await deleteWeighIn(date).catch(ignoreGone);
      if (changes.intake === 'save' && calories !== null)
        saved.push(
          await submitEntry({ kind: 'intake', date, body: { calories: Math.round(calories), ...macros, complete: fields.complete } }),
        );
      if (changes.intake === 'delete') await deleteIntake(date).catch(ignoreGone);
      const removed = [changes.weight === 'delete' ? 'weigh-in' : null, changes.intake === 'delete' ? 'food' : null].filter(Boolean);
      const deleted = removed.length ? ` The ${removed.join(' and the ')} ${removed.length > 1 ? 'were' : 'was'} deleted.` : '';
      setOutcome(
        saved.some((s) => s.status === 'queued')
          ? {
              kind: 'queued',
              text: `Saved on this device for ${when(date)}: waiting to sync. It is sent as soon as Recomp can be reached.`,
            }
          : { kind: 'saved', text: `Saved for ${when(date)}.${deleted}` },
      );
      setBefore(fields);
      typed.current = false;
      const stillLogged = weight !== null || calories !== null;
      setDay((d) => ({ state: stillLogged ? 'logged' : 'empty', fromMeasurement: d.fromMeasurement && weight !== null }));
      onSaved();
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS, units));
    } finally {
      setBusy(false);
    }
  };

  const placed = Object.keys(errors.fields).length > 0;
  return (
    <form class="form card day-form" onSubmit={submit} noValidate ref={formRef} aria-labelledby="day-heading">
      <h2 id="day-heading">Weigh-in and food</h2>
      <FormAlert text={placed ? errors.top : null} />
      <InputField id="date" type="date" label="Date" value={date} onValue={choose} error={errors.fields.date} />
      <p class="hint day-state" data-testid="day-state" aria-live="polite">
        {day.state === 'loading'
          ? `Loading ${when(date)}…`
          : day.state === 'failed'
            ? 'Could not load what this day has saved: what you save replaces it.'
            : day.state === 'logged'
              ? `You logged ${when(date)}: change what you need and save.`
              : date
                ? `Nothing logged for ${when(date)} yet.`
                : ''}
      </p>
      <NumberField
        id="weight_kg"
        label="Weight"
        unit={unitLabel('weight', units)}
        hint={
          day.fromMeasurement
            ? 'From your measurement of this day. A weight you save here is the day’s weigh-in.'
            : 'First thing in the morning, after the toilet, before eating.'
        }
        value={fields.weight_kg}
        onValue={set('weight_kg')}
        error={errors.fields.weight_kg}
        inputRef={weightRef}
      />
      <NumberField
        id="calories"
        label="Calories"
        unit="kcal"
        hint="Everything you ate and drank that day."
        value={fields.calories}
        onValue={set('calories')}
        error={errors.fields.calories}
      />
      <div class="grid-3">
        {(['protein_g', 'carbs_g', 'fat_g'] as const).map((field) => (
          <NumberField
            key={field}
            id={field}
            label={`${{ protein_g: 'Protein', carbs_g: 'Carbs', fat_g: 'Fat' }[field]} (optional)`}
            unit="g"
            value={fields[field]}
            onValue={set(field)}
            error={errors.fields[field]}
          />
        ))}
      </div>
      <CheckboxField
        id="complete"
        label="Complete day"
        checked={fields.complete}
        onChecked={(complete) => {
          typed.current = true;
          setOutcome(null);
          setFields((f) => ({ ...f, complete }));
        }}
        hint="Untick it when you logged only some of the day’s meals: the day is then left out of your expenditure rather than read as all you ate."
      />
      <div class="form-actions">
        <SubmitButton busy={busy}>Save day</SubmitButton>
        {outcome ? (
          <div
            class={outcome.kind === 'queued' ? 'alert alert-warning' : 'alert alert-success'}
            role="status"
            tabIndex={-1}
            ref={outcomeRef}
            data-testid="day-saved"
          >
            {outcome.text}
          </div>
        ) : errors.top && !placed ? (
          <div class="alert alert-error" role="alert" tabIndex={-1} ref={outcomeRef} data-testid="day-failed">
            {errors.top}
          </div>
        ) : null}
      </div>
    </form>
  );
}
