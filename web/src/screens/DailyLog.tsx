/**
 * Daily log (docs/DESIGN.md, 'Daily logs'): a day's weight and what was eaten, the trend weight over the raw weigh-ins,
 * the expenditure Recomp measures from them, with its band, and the logged days, each of which can be
 * marked complete or partial (docs/SCIENCE.md 9, "Incomplete days in the estimate").
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Expenditure, Intake, IntakeList, User, WeightSeries } from '../api/types.ts';
import { ApiError } from '../api/client.ts';
import { getExpenditure, getIntake, getWeights, saveIntake, saveWeighIn } from '../api/queries.ts';
import { DailyChart, type DailyLine } from '../components/DailyChart.tsx';
import { IMPORT_HREF } from '../components/ImportCard.tsx';
import { CheckboxField, FormAlert, InputField, NumberField, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { parseNumber } from '../components/measurementForm.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import {
  daysLogged,
  expenditureSeries,
  expenditureSummary,
  intakeWithComplete,
  macrosText,
  todayValue,
  weightSeries,
  weightSummary,
} from '../daily.ts';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { formatDate, formatKcal } from '../format.ts';
import { IMPORTED_APPS } from '../imports.ts';
import { useLoad } from '../load.ts';
import { Link } from '../router.tsx';
import { toMetric, unitLabel, type Units, useUnits } from '../units.ts';

const HISTORY_DAYS = 60;
/** Logged days listed before "Show all". */
const RECENT_DAYS = 14;
/** Below this many days logged, the log offers to import a history: the estimate wants food on half of its 28 days (docs/SCIENCE.md 9, 'Enough logs'). */
const FEW_DAYS = 14;
const FIELDS = ['date', 'weight_kg', 'calories', 'protein_g', 'carbs_g', 'fat_g'] as const;
type Field = (typeof FIELDS)[number];

async function loadLogs(): Promise<{ weights: WeightSeries; expenditure: Expenditure | null; intake: IntakeList }> {
  const from = todayValue(new Date(Date.now() - (HISTORY_DAYS - 1) * 86_400_000));
  const [weights, expenditure, intake] = await Promise.all([getWeights(from), getExpenditure(), getIntake(from)]);
  return { weights, expenditure, intake };
}

export function DailyLog(_props: { user: User }) {
  const units = useUnits();
  const data = useLoad(loadLogs, []);
  return (
    <Page
      title="Daily log"
      lead="Weigh yourself each morning and log what you eat. Recomp smooths out water swings and measures how much you really burn."
    >
      {data.data && daysLogged(data.data.weights, data.data.intake) < FEW_DAYS ? (
        <p class="alert alert-info" data-testid="import-suggestion">
          Logged your weight or food in {IMPORTED_APPS}? <Link href={IMPORT_HREF}>Import your history</Link> so that your trend and
          expenditure start from those weeks.
        </p>
      ) : null}
      <DayForm units={units} onSaved={data.reload} />
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your log" /> : null}
      {data.data ? <LogCharts weights={data.data.weights} expenditure={data.data.expenditure} units={units} /> : null}
      {data.data ? <LoggedDays days={data.data.intake.intake} onChanged={data.reload} /> : null}
    </Page>
  );
}

function DayForm({ units, onSaved }: { units: Units; onSaved: () => void }) {
  const [values, setValues] = useState<Record<Field, string>>({
    date: todayValue(),
    weight_kg: '',
    calories: '',
    protein_g: '',
    carbs_g: '',
    fat_g: '',
  });
  const [complete, setComplete] = useState(true);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);
  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(null);
    const fields: Record<string, string> = {};
    const read = (field: Field) => {
      const text = values[field].trim();
      if (!text) return null;
      const n = parseNumber(text);
      if (n === null) fields[field] = 'Enter a number.';
      return n;
    };
    const weight = read('weight_kg');
    const calories = read('calories');
    const macros = { protein_g: read('protein_g'), carbs_g: read('carbs_g'), fat_g: read('fat_g') };
    if (!values.date) fields.date = 'Enter a date.';
    if (weight === null && calories === null && !fields.weight_kg && !fields.calories)
      fields.weight_kg = 'Enter your weight, your calories, or both.';
    if (calories === null && Object.values(macros).some((m) => m !== null)) fields.calories = 'Enter the day’s calories with the macros.';
    if (Object.keys(fields).length)
      return setErrors({
        top: Object.keys(fields).length === 1 ? 'Please correct the field marked below.' : 'Please correct the fields marked below.',
        fields,
      });
    setErrors(noErrors);
    setBusy(true);
    try {
      if (weight !== null) await saveWeighIn(values.date, toMetric('weight', weight, units));
      if (calories !== null) await saveIntake(values.date, { calories: Math.round(calories), ...macros, complete });
      setSaved(`Saved for ${formatDate(`${values.date}T12:00:00Z`)}.`);
      setValues((v) => ({ ...v, weight_kg: '', calories: '', protein_g: '', carbs_g: '', fat_g: '' }));
      setComplete(true);
      onSaved();
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS, units));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form card" onSubmit={submit} noValidate ref={formRef} aria-labelledby="day-heading">
      <h2 id="day-heading">Weigh-in and food</h2>
      <FormAlert text={errors.top} />
      {saved ? (
        <div class="alert alert-success" role="status" data-testid="day-saved">
          {saved}
        </div>
      ) : null}
      <InputField id="date" type="date" label="Date" value={values.date} onValue={set('date')} error={errors.fields.date} />
      <NumberField
        id="weight_kg"
        label="Weight"
        unit={unitLabel('weight', units)}
        hint="First thing in the morning, after the toilet, before eating."
        value={values.weight_kg}
        onValue={set('weight_kg')}
        error={errors.fields.weight_kg}
      />
      <NumberField
        id="calories"
        label="Calories"
        unit="kcal"
        hint="Everything you ate and drank that day."
        value={values.calories}
        onValue={set('calories')}
        error={errors.fields.calories}
      />
      <div class="grid-3">
        <NumberField
          id="protein_g"
          label="Protein (optional)"
          unit="g"
          value={values.protein_g}
          onValue={set('protein_g')}
          error={errors.fields.protein_g}
        />
        <NumberField
          id="carbs_g"
          label="Carbs (optional)"
          unit="g"
          value={values.carbs_g}
          onValue={set('carbs_g')}
          error={errors.fields.carbs_g}
        />
        <NumberField id="fat_g" label="Fat (optional)" unit="g" value={values.fat_g} onValue={set('fat_g')} error={errors.fields.fat_g} />
      </div>
      <CheckboxField
        id="complete"
        label="Complete day"
        checked={complete}
        onChecked={setComplete}
        hint="Untick it when you logged only some of the day’s meals: the day is then left out of your expenditure rather than read as all you ate."
      />
      <SubmitButton busy={busy}>Save day</SubmitButton>
    </form>
  );
}

const WEIGHT_COLOR = '#6d28d9';
const TREND_COLOR = '#0f5f59';
const ESTIMATE_COLOR = '#b45309';

function LogCharts({ weights, expenditure, units }: { weights: WeightSeries; expenditure: Expenditure | null; units: Units }) {
  const weightLines = useMemo((): DailyLine[] => {
    const s = weightSeries(weights, units);
    return [
      { label: 'Weigh-ins', data: s.raw, color: WEIGHT_COLOR, points: true },
      { label: 'Trend weight', data: s.trend, color: TREND_COLOR },
    ];
  }, [weights, units]);
  const expenditureLines = useMemo((): DailyLine[] => {
    if (!expenditure) return [];
    const s = expenditureSeries(expenditure);
    return [
      { label: 'Low', data: s.low, color: ESTIMATE_COLOR, hidden: true },
      { label: 'Likely range', data: s.high, color: ESTIMATE_COLOR, fillToPrevious: true },
      { label: 'Expenditure', data: s.estimate, color: ESTIMATE_COLOR },
    ];
  }, [expenditure]);
  return (
    <div class="grid-2">
      <section class="card" aria-labelledby="weight-heading">
        <h2 id="weight-heading">Weight trend</h2>
        {weights.weights.length ? (
          <DailyChart
            lines={weightLines}
            origin={weights.weights[0]!.date}
            yTitle={`Weight (${unitLabel('weight', units)})`}
            label="Chart of daily weigh-ins and the smoothed trend weight."
            summary={weightSummary(weights, units)}
            testId="weight-summary"
          />
        ) : (
          <p data-testid="weight-summary">No weigh-ins yet. Your first one starts the trend.</p>
        )}
      </section>
      <section class="card" aria-labelledby="expenditure-heading">
        <h2 id="expenditure-heading">Your expenditure</h2>
        {expenditure ? (
          <>
            <p class="big-number" data-testid="expenditure-kcal">
              {formatKcal(expenditure.tdee_kcal)}/day
            </p>
            <DailyChart
              lines={expenditureLines}
              origin={expenditure.series[0]?.date ?? expenditure.as_of}
              yTitle="kcal a day"
              label="Chart of the estimated daily expenditure and its likely range."
              summary={expenditureSummary(expenditure)}
              testId="expenditure-summary"
            />
          </>
        ) : (
          <p data-testid="expenditure-summary">Log a weight to see an estimate.</p>
        )}
      </section>
    </div>
  );
}

/** The logged days, newest first, each with its Complete day switch. */
function LoggedDays({ days, onChanged }: { days: Intake[]; onChanged: () => void }) {
  const [all, setAll] = useState(false);
  const newestFirst = useMemo(() => [...days].reverse(), [days]);
  const shown = all ? newestFirst : newestFirst.slice(0, RECENT_DAYS);
  return (
    <section class="card logged-days" aria-labelledby="logged-days-heading">
      <h2 id="logged-days-heading">Logged days</h2>
      {days.length === 0 ? (
        <p>No food logged in the last {HISTORY_DAYS} days.</p>
      ) : (
        <>
          <p class="hint" id="logged-days-hint">
            A day logged only partly is marked <span class="badge bad">Partial</span> and left out of your expenditure. Untick Complete for
            a day with meals missing.
          </p>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Food logged each day, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Food</th>
                  <th scope="col">Complete day</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((day) => (
                  <LoggedDay key={day.date} day={day} onChanged={onChanged} />
                ))}
              </tbody>
            </table>
          </div>
          {newestFirst.length > shown.length ? (
            <button type="button" class="button small" onClick={() => setAll(true)}>
              Show all {newestFirst.length} days
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

/**
 * A logged day. Complete changes at once (like History's Delete) and is saved with a PUT of the whole
 * day; a failure puts it back and says why next to it. A click while the save is under way is ignored.
 */
function LoggedDay({ day, onChanged }: { day: Intake; onChanged: () => void }) {
  const [complete, setComplete] = useState(day.complete);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The reload after a save (or a save of the form) brings the stored value.
  useEffect(() => setComplete(day.complete), [day.complete, day.updated_at]);
  const when = formatDate(`${day.date}T12:00:00Z`);
  const id = `complete-${day.date}`;
  const macros = macrosText(day);

  const toggle = async (next: boolean) => {
    setComplete(next);
    setError(null);
    setSaving(true);
    try {
      await saveIntake(day.date, intakeWithComplete(day, next));
      onChanged();
    } catch (e) {
      setComplete(!next);
      setError(e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <tr data-testid={`intake-${day.date}`}>
      <td>{when}</td>
      <td>
        {formatKcal(day.calories)}
        {complete ? null : (
          <>
            {' '}
            <span class="badge bad">Partial</span>
          </>
        )}
        {macros ? <div class="muted note">{macros}</div> : null}
      </td>
      <td>
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
            Complete<span class="visually-hidden"> day, {when}</span>
          </label>
        </div>
        {error ? (
          <div class="alert alert-error row-error" role="alert">
            {error}
          </div>
        ) : null}
      </td>
    </tr>
  );
}
