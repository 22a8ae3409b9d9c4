import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { newIdempotencyKey, SubmissionKey } from '../api/idempotency.ts';
import type { CheckInResult, Goal, Measurement, Method, User } from '../api/types.ts';
import { activeGoal, createMeasurement, getMeasurement, logProgress } from '../api/queries.ts';
import { isSameDayRefusal } from '../checkIns.ts';
import { FormAlert, RadioGroup, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import {
  emptyMeasurement,
  hasMeasurementInput,
  isMeasurementInput,
  MeasurementFields,
  measurementBody,
  measurementFieldIds,
  type MeasurementInput,
} from '../components/measurementForm.tsx';
import { CheckInQueued } from '../components/CheckInQueued.tsx';
import { Page } from '../components/page.tsx';
import { TRACK_LABEL } from '../goalOutlook.ts';
import { clearDraft, useDraft } from '../drafts.ts';
import { formatDateTime, formatPercent } from '../format.ts';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { useLoad } from '../load.ts';
import { METHOD_LABEL, METHODS } from '../methods.ts';
import { submit as submitEntry } from '../offline/queue.ts';
import { Link } from '../router.tsx';
import { formatQuantity, useUnits } from '../units.ts';

interface MeasurementDraft {
  method: Method;
  input: MeasurementInput;
}

const isMeasurementDraft = (value: unknown): value is MeasurementDraft =>
  typeof value === 'object' &&
  value !== null &&
  (METHODS as readonly unknown[]).includes((value as MeasurementDraft).method) &&
  isMeasurementInput((value as MeasurementDraft).input);

export function LogMeasurement({ user }: { user: User }) {
  const units = useUnits();
  const [draft, setDraft] = useDraft<MeasurementDraft>(
    'measurement',
    user.id,
    () => ({ method: user.preferred_calculation_method, input: emptyMeasurement() }),
    isMeasurementDraft,
    (d) => hasMeasurementInput(d.input),
  );
  const { method, input } = draft;
  const setInput = (next: MeasurementInput) => setDraft({ method, input: next });
  // One key per submitted body, kept across retries of it (a lost answer must not save twice).
  const [submission] = useState(() => new SubmissionKey());
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Measurement | null>(null);
  const formRef = useFocusFirstError(errors);
  const goal = useLoad(activeGoalWithMethod, [saved]);
  // With an active goal: whether this measurement is also a check-in (null: the default, yes when it is the goal's method).
  const [countsChoice, setCountsChoice] = useState<boolean | null>(null);
  const active = goal.data ?? null;
  const counts = active !== null && (countsChoice ?? method === active.method);
  const [checkIn, setCheckIn] = useState<CheckInOutcome | null>(null);
  const [queued, setQueued] = useState(false);

  /**
   * No answer came and the measurement counts as a check-in: both go into the device's queue, the
   * measurement with this attempt's key, so what may have reached the server is replayed, not
   * repeated (offline/queue.ts). A measurement on its own needs the network.
   */
  const keepOnDevice = async (body: Record<string, unknown>, goal: Goal) => {
    const saved = await submitEntry<CheckInResult>({
      kind: 'checkIn',
      goalId: goal.id,
      measurement: body,
      notes: null,
      replace: false,
      measurementKey: submission.for(body),
      checkInKey: newIdempotencyKey(),
      measurementId: null,
    });
    clearDraft('measurement');
    setErrors(noErrors);
    if (saved.status === 'queued') return setQueued(true);
    setCheckIn({ entry: saved.answer });
    setSaved(await getMeasurement(saved.answer.measurement_id));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const prepared = measurementBody(method, user.gender, units, input);
    if (!prepared.body) return setErrors({ top: null, fields: prepared.errors });
    setBusy(true);
    try {
      const measurement = await createMeasurement(prepared.body, submission.for(prepared.body));
      submission.settle();
      clearDraft('measurement');
      setErrors(noErrors);
      setCheckIn(counts && active ? await checkInWith(active.goal, measurement.id, false) : null);
      setSaved(measurement);
    } catch (error) {
      submission.settle(error);
      try {
        if (error instanceof ApiError && error.status === 0 && counts && active) await keepOnDevice(prepared.body, active.goal);
        else throw error;
      } catch (failure) {
        setErrors(toFormErrors(failure, measurementFieldIds(method, user.gender), units));
      }
    } finally {
      setBusy(false);
    }
  };

  if (queued) return <CheckInQueued />;
  if (saved) {
    return (
      <Page title="Measurement saved">
        <div class="result" role="status">
          <p class="result-label">Body fat</p>
          <p class="result-value" data-testid="body-fat-result">
            {formatPercent(saved.calculated_body_fat_percentage)}
          </p>
          <p>
            {METHOD_LABEL[saved.calculation_method]} · {formatQuantity('weight', saved.weight_kg, units)} ·{' '}
            {formatDateTime(saved.measured_at)}
          </p>
          {checkIn?.entry ? (
            <>
              <p data-testid="check-in-saved">
                Counted as your week {checkIn.entry.week_number} check-in:{' '}
                {TRACK_LABEL[checkIn.entry.is_on_track ? 'on_track' : 'off_track']}.
              </p>
              <p class="target-change" data-testid="target-change">
                {checkIn.entry.target_change.reason}
              </p>
            </>
          ) : null}
        </div>
        {checkIn?.error ? (
          <div class="alert alert-warning" role="alert">
            Saved, but not counted as a check-in: {checkIn.error}
          </div>
        ) : null}
        {checkIn?.sameDay && active ? (
          <div class="alert alert-warning" role="alert" data-testid="replace-check-in">
            <p>You already checked in today. Replace that check-in?</p>
            <div class="actions">
              <button
                type="button"
                class="button primary"
                disabled={busy}
                onClick={async () => {
                  setBusy(true);
                  setCheckIn(await checkInWith(active.goal, saved.id, true));
                  setBusy(false);
                }}
              >
                Replace it
              </button>
              <button type="button" class="button" onClick={() => setCheckIn(null)}>
                Keep the earlier one
              </button>
            </div>
          </div>
        ) : null}
        <div class="actions">
          {goal.data === null ? (
            <Link class="button primary" href="/goals/new">
              Start a goal
            </Link>
          ) : null}
          <Link class={`button${goal.data === null ? '' : ' primary'}`} href="/">
            Go to dashboard
          </Link>
          <button
            type="button"
            class="button"
            onClick={() => {
              setSaved(null);
              setCheckIn(null);
              setInput(emptyMeasurement());
            }}
          >
            Log another measurement
          </button>
        </div>
      </Page>
    );
  }

  return (
    <Page
      title="Log measurement"
      lead="Measure the same way, at the same time of day, each time: trends matter more than any single number."
    >
      <form class="form" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        <RadioGroup
          name="calculation_method"
          legend="Method"
          inline
          value={method}
          onValue={(value) => {
            setDraft({ method: value as Method, input });
            setErrors(noErrors);
          }}
          options={METHODS.map((value) => ({ value, label: METHOD_LABEL[value] }))}
        />
        <MeasurementFields method={method} sex={user.gender} units={units} input={input} onChange={setInput} errors={errors.fields} />
        {active ? (
          <RadioGroup
            name="counts_as_check_in"
            legend="Count it as a check-in for your goal?"
            hint={
              method === active.method
                ? 'Yes compares it with your goal and updates your calorie target and diet plan, as Log progress does.'
                : `Your goal is tracked with ${METHOD_LABEL[active.method]}; a check-in must use the same method.`
            }
            value={counts ? 'yes' : 'no'}
            onValue={(value) => setCountsChoice(value === 'yes')}
            options={[
              { value: 'yes', label: 'Yes, count it as a check-in' },
              { value: 'no', label: 'No, only save the measurement' },
            ]}
          />
        ) : null}
        <SubmitButton busy={busy}>Save measurement</SubmitButton>
      </form>
    </Page>
  );
}

/** The active goal and its method (that of its first measurement), or null without one. */
async function activeGoalWithMethod(): Promise<{ goal: Goal; method: Method } | null> {
  const goal = await activeGoal();
  if (!goal) return null;
  return { goal, method: (await getMeasurement(goal.initial_measurement_id)).calculation_method };
}

/** What counting a measurement as a check-in gave: the entry, a same-day refusal to ask about, or another refusal. */
interface CheckInOutcome {
  entry?: CheckInResult;
  sameDay?: boolean;
  error?: string;
}

async function checkInWith(goal: Goal, measurementId: string, replace: boolean): Promise<CheckInOutcome> {
  try {
    return { entry: await logProgress(goal.id, measurementId, null, undefined, replace) };
  } catch (error) {
    if (isSameDayRefusal(error)) return { sameDay: true };
    return { error: error instanceof Error ? error.message : 'the check-in could not be saved.' };
  }
}
