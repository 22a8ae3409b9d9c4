import { useState } from 'preact/hooks';
import { MAX_BULK_CEILING, SAFE_MIN_CUT_TARGET } from '../api/generated/rules.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import type { Goal, GoalType, Measurement, User } from '../api/types.ts';
import { activeGoal, createGoal, listMeasurements, previewGoal } from '../api/queries.ts';
import { FormAlert, NumberField, RadioGroup, SelectField, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { parseNumber } from '../components/measurementForm.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { formatDate, formatKcal, formatPercent, plural } from '../format.ts';
import { planSentence } from '../goalOutlook.ts';
import { useLoad } from '../load.ts';
import { METHOD_LABEL } from '../methods.ts';
import { Link } from '../router.tsx';
import { projectionSummary, rateHint, rateLabel, WEEKLY_RATES } from '../daily.ts';
import { useUnits } from '../units.ts';

/** The safety rules of the API (docs/DESIGN.md, 'Goal rules'), shown before the person types. */
function allowedRange(type: GoalType, user: User, current: number): string {
  if (type === 'cutting') {
    const min = SAFE_MIN_CUT_TARGET[user.gender];
    if (current <= min) return `Your body fat is already at or below the safe minimum of ${min} %: cutting further is not advised.`;
    return `Allowed: from ${min} % (the safe minimum for ${user.gender === 'male' ? 'men' : 'women'}) to below your current ${formatPercent(current)}.`;
  }
  if (current >= MAX_BULK_CEILING) return `Your body fat is already at or above the ${MAX_BULK_CEILING} % maximum ceiling.`;
  return `Allowed: above your current ${formatPercent(current)}, up to ${MAX_BULK_CEILING} %.`;
}

const measurementLabel = (m: Measurement) =>
  `${formatDate(m.measured_at)} · ${formatPercent(m.calculated_body_fat_percentage)} · ${METHOD_LABEL[m.calculation_method]}`;

export function StartGoal({ user }: { user: User }) {
  const [created, setCreated] = useState<Goal | null>(null);
  const data = useLoad(async () => {
    const [goal, list] = await Promise.all([activeGoal(), listMeasurements(20)]);
    return { goal, measurements: list.measurements };
  }, []);

  if (created) return <GoalCreated goal={created} />;
  return (
    <Page
      title="Start a goal"
      lead="Cut to a target body fat, or bulk up to a ceiling. Recomp works out the calories and the time it takes."
    >
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your measurements" /> : null}
      {data.data?.goal ? (
        <div class="alert alert-info" role="status">
          You already have an active {data.data.goal.goal_type} goal. <Link href="/">See it on the dashboard</Link>, or abandon it in{' '}
          <Link href="/settings">Settings</Link> to start a new one.
        </div>
      ) : null}
      {data.data && !data.data.goal && data.data.measurements.length === 0 ? (
        <div class="card">
          <p>A goal starts from a measurement of your body fat.</p>
          <Link class="button primary" href="/measurements/new">
            Log measurement
          </Link>
        </div>
      ) : null}
      {data.data && !data.data.goal && data.data.measurements.length > 0 ? (
        <GoalForm user={user} measurements={data.data.measurements} onCreated={setCreated} />
      ) : null}
    </Page>
  );
}

function GoalForm({ user, measurements, onCreated }: { user: User; measurements: Measurement[]; onCreated: (goal: Goal) => void }) {
  const [type, setType] = useState<GoalType>('cutting');
  const [measurementId, setMeasurementId] = useState(measurements[0]?.id ?? '');
  const [value, setValue] = useState('');
  const [rate, setRate] = useState(String(WEEKLY_RATES.cutting.default));
  const units = useUnits();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  // One key per submitted body, kept across retries of it (a lost answer must not start two goals).
  const [submission] = useState(() => new SubmissionKey());
  const formRef = useFocusFirstError(errors);
  const measurement = measurements.find((m) => m.id === measurementId) ?? measurements[0];
  const current = measurement?.calculated_body_fat_percentage ?? 0;
  const field = type === 'cutting' ? 'target_body_fat_percentage' : 'ceiling_body_fat_percentage';

  const submit = async (event: Event) => {
    event.preventDefault();
    const number = parseNumber(value);
    if (number === null) {
      return setErrors({
        top: null,
        fields: {
          [field]: value.trim() ? 'Enter a number, like 12.' : `Enter your ${type === 'cutting' ? 'target body fat' : 'body fat ceiling'}.`,
        },
      });
    }
    setBusy(true);
    const body = { goal_type: type, initial_measurement_id: measurementId, [field]: number, weekly_rate_percent: Number(rate) };
    try {
      const goal = await createGoal(body, submission.for(body));
      submission.settle();
      onCreated(goal);
    } catch (error) {
      submission.settle(error);
      setErrors(toFormErrors(error, ['goal_type', 'initial_measurement_id', field, 'weekly_rate_percent'], 'metric'));
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate ref={formRef}>
      <FormAlert text={errors.top} />
      <RadioGroup
        name="goal_type"
        legend="Goal type"
        inline
        value={type}
        onValue={(next) => {
          setType(next as GoalType);
          setRate(String(WEEKLY_RATES[next as GoalType].default));
          setErrors(noErrors);
        }}
        options={[
          { value: 'cutting', label: 'Cutting', description: 'Lose fat, keep muscle.' },
          { value: 'bulking', label: 'Bulking', description: 'Gain muscle, stop at a fat ceiling.' },
        ]}
      />
      <SelectField
        id="initial_measurement_id"
        label="Starting measurement"
        value={measurementId}
        onValue={setMeasurementId}
        error={errors.fields.initial_measurement_id}
        options={measurements.map((m) => ({ value: m.id, label: measurementLabel(m) }))}
      />
      <p class="current-bf">
        Current body fat: <strong data-testid="current-body-fat">{formatPercent(current)}</strong>
      </p>
      <NumberField
        id={field}
        key={field}
        label={type === 'cutting' ? 'Target body fat' : 'Body fat ceiling'}
        unit="%"
        hint={allowedRange(type, user, current)}
        value={value}
        onValue={setValue}
        error={errors.fields[field]}
      />
      <SelectField
        id="weekly_rate_percent"
        key={`rate-${type}`}
        label="Weekly rate"
        value={rate}
        onValue={setRate}
        hint={rateHint(type, measurement?.weight_kg ?? null, units, Number(rate))}
        error={errors.fields.weekly_rate_percent}
        options={WEEKLY_RATES[type].values.map((r) => ({ value: String(r), label: rateLabel(type, r) }))}
      />
      <PlanPreview
        body={
          measurementId && parseNumber(value) !== null
            ? { goal_type: type, initial_measurement_id: measurementId, [field]: parseNumber(value), weekly_rate_percent: Number(rate) }
            : null
        }
        limit={parseNumber(value)}
      />
      <SubmitButton busy={busy}>Create goal</SubmitButton>
    </form>
  );
}

/** How long a pause in typing before the plan is worked out again. */
const PREVIEW_DELAY_MS = 350;

/**
 * The plan the goal would start with (POST /goals/preview: the same computation as creating it), in
 * the dashboard's wording, so the weeks told here are the weeks the goal then says. Quiet while the
 * form is incomplete or its values are refused: Create goal says why, next to the field.
 */
function PlanPreview({ body, limit }: { body: Record<string, unknown> | null; limit: number | null }) {
  const key = body ? JSON.stringify(body) : null;
  const preview = useLoad(
    () =>
      key === null
        ? Promise.resolve(null)
        : new Promise<void>((resolve) => setTimeout(resolve, PREVIEW_DELAY_MS)).then(() => previewGoal(JSON.parse(key))),
    [key],
  );
  const data = key !== null && !preview.error ? (preview.data ?? null) : null;
  return (
    <p class="plan-preview" aria-live="polite" data-testid="goal-preview">
      {data
        ? `${planSentence({ weeks: data.weeks_to_goal, weeks_low: data.weeks_to_goal_fastest, weeks_high: data.weeks_to_goal_slowest }, limit)} ` +
          `Calorie target ${formatKcal(data.target_calories)} a day.`
        : null}
    </p>
  );
}

function GoalCreated({ goal }: { goal: Goal }) {
  const limit = goal.goal_type === 'cutting' ? goal.target_body_fat_percentage : goal.ceiling_body_fat_percentage;
  return (
    <Page title="Goal started" heading={`Your ${goal.goal_type} goal has started`}>
      <div class="result" role="status">
        <dl class="stats four">
          <div>
            <dt>Calorie target</dt>
            <dd data-testid="calorie-target">{formatKcal(goal.target_calories)} a day</dd>
          </div>
          <div>
            <dt>Estimated time</dt>
            <dd data-testid="estimated-weeks">
              {goal.estimated_weeks_to_goal === null ? 'Not known yet' : plural(goal.estimated_weeks_to_goal, 'week')}
            </dd>
          </div>
          <div>
            <dt>From</dt>
            <dd>{formatPercent(goal.initial_body_fat_percentage)}</dd>
          </div>
          <div>
            <dt>{goal.goal_type === 'cutting' ? 'Target' : 'Ceiling'}</dt>
            <dd>{limit === null ? '—' : formatPercent(limit)}</dd>
          </div>
          <div>
            <dt>Weekly rate</dt>
            <dd data-testid="weekly-rate">{goal.weekly_rate_percent} % a week</dd>
          </div>
          <div>
            <dt>Planned from</dt>
            <dd>{goal.expenditure_kcal === null ? '—' : `${formatKcal(goal.expenditure_kcal)}/day burnt`}</dd>
          </div>
        </dl>
        {goal.projection ? <p data-testid="plan-summary">{projectionSummary(goal.projection, limit)}</p> : null}
      </div>
      <div class="actions">
        <Link class="button primary" href="/">
          Go to dashboard
        </Link>
        <Link class="button" href="/plans">
          See your plans
        </Link>
      </div>
    </Page>
  );
}
