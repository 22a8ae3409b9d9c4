import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { newIdempotencyKey, SubmissionKey } from '../api/idempotency.ts';
import type { CheckInResult, Goal, Method, User } from '../api/types.ts';
import { activeGoal, createMeasurement, deleteMeasurement, getGoal, getMeasurement, logProgress } from '../api/queries.ts';
import { measurementForAttempt, type PendingMeasurement } from '../checkInMeasurement.ts';
import { isSameDayRefusal, todayWeighInKg } from '../checkIns.ts';
import { CheckInQueued } from '../components/CheckInQueued.tsx';
import { RecentCheckIns } from '../components/RecentCheckIns.tsx';
import { FormAlert, InputField, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import {
  emptyMeasurement,
  hasMeasurementInput,
  isMeasurementInput,
  MeasurementFields,
  measurementBody,
  measurementFieldIds,
} from '../components/measurementForm.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { clearDraft, useDraft } from '../drafts.ts';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { formatPercent, signed } from '../format.ts';
import { type GoalReached, goalReached, TRACK_BADGE, TRACK_LABEL } from '../goalOutlook.ts';
import { useLoad } from '../load.ts';
import { METHOD_LABEL } from '../methods.ts';
import { submit as submitEntry } from '../offline/queue.ts';
import { Link } from '../router.tsx';
import { toDisplay, unitLabel, useUnits } from '../units.ts';

/** A saved check-in, and its goal as it is afterwards (null if that could not be read). */
interface CheckIn {
  entry: CheckInResult;
  goal: Goal | null;
}

export function LogProgress({ user }: { user: User }) {
  const [checkIn, setCheckIn] = useState<CheckIn | 'queued' | null>(null);
  const data = useLoad(async () => {
    const goal = await activeGoal();
    if (!goal) return null;
    // A check-in must use the goal's method: the one of its first measurement.
    const [first, weighIn] = await Promise.all([getMeasurement(goal.initial_measurement_id), todayWeighInKg()]);
    return { goal, method: first.calculation_method, weighInKg: weighIn };
  }, [checkIn]);

  if (checkIn === 'queued') return <CheckInQueued />;
  const reached = goalReached(checkIn?.goal ?? null);
  if (checkIn && reached) return <GoalReachedResult entry={checkIn.entry} reached={reached} />;
  if (checkIn) return <ProgressLogged entry={checkIn.entry} onAnother={() => setCheckIn(null)} />;
  return (
    <Page title="Log progress" lead="A check-in: measure, and Recomp compares it with your goal and adjusts your diet plan.">
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && data.data === undefined ? <Loading what="your goal" /> : null}
      {data.data === null ? (
        <div class="card">
          <p>Progress is logged against a goal, and you have no active goal.</p>
          <Link class="button primary" href="/goals/new">
            Start a goal
          </Link>
        </div>
      ) : null}
      {data.data ? (
        <>
          <ProgressForm user={user} goal={data.data.goal} method={data.data.method} weighInKg={data.data.weighInKg} onLogged={setCheckIn} />
          <RecentCheckIns goal={data.data.goal} onDeleted={data.reload} />
        </>
      ) : null}
    </Page>
  );
}

function ProgressForm({
  user,
  goal,
  method,
  weighInKg,
  onLogged,
}: {
  user: User;
  goal: Goal;
  method: Method;
  weighInKg: number | null;
  onLogged: (checkIn: CheckIn | 'queued') => void;
}) {
  const units = useUnits();
  const [input, setInput] = useDraft('progress', user.id, emptyMeasurement, isMeasurementInput, hasMeasurementInput);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  // The goal already has a check-in that day: asked before replacing it.
  const [askReplace, setAskReplace] = useState(false);
  // Today's weigh-in fills an empty weight; the person can still change it.
  useEffect(() => {
    if (weighInKg !== null && input.weight.trim() === '') setInput({ ...input, weight: toDisplay('weight', weighInKg, units).toFixed(1) });
  }, [weighInKg]);
  const formRef = useFocusFirstError(errors);
  // A measurement saved by an attempt whose check-in then failed: reused if nothing was changed, else deleted.
  const pending = useRef<PendingMeasurement | null>(null);
  // Each of the two requests keeps its own key across retries: a lost answer is replayed, not repeated.
  const [measurementKey] = useState(() => new SubmissionKey());
  const [entryKey] = useState(() => new SubmissionKey());

  const submit = (event: Event) => {
    event.preventDefault();
    return send(false);
  };

  const send = async (replace: boolean) => {
    setAskReplace(false);
    const { notes, ...measured } = input;
    const prepared = measurementBody(method, user.gender, units, { ...measured, notes: '' });
    if (!prepared.body) return setErrors({ top: null, fields: prepared.errors });
    setBusy(true);
    const key = JSON.stringify(prepared.body);
    let step = measurementKey;
    try {
      const { body } = prepared;
      const previous = pending.current;
      // Until this attempt has its measurement: the previous one is either reused or deleted now.
      pending.current = null;
      pending.current = await measurementForAttempt(
        previous,
        key,
        async () => {
          const { id } = await createMeasurement(body, measurementKey.for(body));
          measurementKey.settle();
          return id;
        },
        deleteMeasurement,
      );
      const measurementId = pending.current.id;
      step = entryKey;
      const entryNotes = notes.trim() || null;
      const entry = await logProgress(
        goal.id,
        measurementId,
        entryNotes,
        entryKey.for({ goal: goal.id, measurementId, notes: entryNotes, replace }),
        replace,
      );
      entryKey.settle();
      // Linked now: never to be deleted as a leftover.
      pending.current = null;
      clearDraft('progress');
      // The entry does not say whether it completed the goal (docs/DESIGN.md, 'Goal lifecycle'): the goal does.
      onLogged({ entry, goal: await getGoal(goal.id).catch(() => null) });
    } catch (error) {
      step.settle(error);
      if (error instanceof ApiError && error.status === 0) return keepOnDevice(prepared.body, replace, step === entryKey);
      setBusy(false);
      if (isSameDayRefusal(error)) {
        setErrors(noErrors);
        return setAskReplace(true);
      }
      setErrors(toFormErrors(error, [...measurementFieldIds(method, user.gender)], units));
    }
  };

  /**
   * No answer came (offline, or the signal dropped): the check-in goes into the device's queue with
   * the keys of this attempt, so what may have reached the server is replayed, not repeated
   * (offline/queue.ts). It is sent at once if it can be, and otherwise waits.
   */
  const keepOnDevice = async (body: Record<string, unknown>, replace: boolean, measured: boolean) => {
    const measurementId = measured ? (pending.current?.id ?? null) : null;
    const entryNotes = input.notes.trim() || null;
    try {
      const saved = await submitEntry<CheckInResult>({
        kind: 'checkIn',
        goalId: goal.id,
        measurement: body,
        notes: entryNotes,
        replace,
        measurementKey: measurementKey.for(body),
        checkInKey: measurementId ? entryKey.for({ goal: goal.id, measurementId, notes: entryNotes, replace }) : newIdempotencyKey(),
        measurementId,
      });
      pending.current = null;
      clearDraft('progress');
      if (saved.status === 'queued') return onLogged('queued');
      onLogged({ entry: saved.answer, goal: await getGoal(goal.id).catch(() => null) });
    } catch (error) {
      setBusy(false);
      if (isSameDayRefusal(error)) {
        setErrors(noErrors);
        return setAskReplace(true);
      }
      setErrors(toFormErrors(error, [...measurementFieldIds(method, user.gender)], units));
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate ref={formRef}>
      <FormAlert text={errors.top} />
      <p class="method-note">
        Method: <strong>{METHOD_LABEL[method]}</strong> — the same as your {goal.goal_type} goal’s first measurement, so the numbers
        compare.
      </p>
      <MeasurementFields method={method} sex={user.gender} units={units} input={input} onChange={setInput} errors={errors.fields} />
      <InputField
        id="notes"
        label="Notes (optional)"
        value={input.notes}
        onValue={(notes) => setInput({ ...input, notes })}
        hint="Anything worth remembering: sleep, a missed session, a refeed."
        maxLength={1000}
        error={errors.fields.notes}
      />
      {weighInKg !== null ? (
        <p class="muted" data-testid="weigh-in-prefill">
          Today’s weigh-in: {toDisplay('weight', weighInKg, units).toFixed(1)} {unitLabel('weight', units)}.
        </p>
      ) : null}
      {askReplace ? (
        <div class="alert alert-warning" role="alert" data-testid="replace-check-in">
          <p>You already checked in today. Replace that check-in?</p>
          <div class="actions">
            <button type="button" class="button primary" disabled={busy} onClick={() => send(true)}>
              Replace it
            </button>
            <button type="button" class="button" onClick={() => setAskReplace(false)}>
              Keep the earlier one
            </button>
          </div>
        </div>
      ) : null}
      <SubmitButton busy={busy}>Log progress</SubmitButton>
    </form>
  );
}

function ProgressLogged({ entry, onAnother }: { entry: CheckInResult; onAnother: () => void }) {
  const units = useUnits();
  const weightChange = toDisplay('weight', entry.weight_change_kg, units);
  const warnings = [entry.ceiling_warning, entry.rate_warning].filter((w): w is string => Boolean(w));
  return (
    <Page title="Progress logged" heading={`Week ${entry.week_number} check-in saved`}>
      <div class="result" role="status">
        <dl class="stats four">
          <div>
            <dt>Body fat</dt>
            <dd>
              {formatPercent(entry.body_fat_percentage)} <span class="change">({signed(entry.body_fat_change, 2)} points)</span>
            </dd>
          </div>
          <div>
            <dt>Weight</dt>
            <dd>
              {toDisplay('weight', entry.weight_kg, units).toFixed(1)} {unitLabel('weight', units)}{' '}
              <span class="change">
                ({signed(weightChange)} {unitLabel('weight', units)})
              </span>
            </dd>
          </div>
          <div>
            <dt>Week</dt>
            <dd>{entry.week_number}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <OnTrack onTrack={entry.is_on_track} />
            </dd>
          </div>
        </dl>
        <p class="target-change" data-testid="target-change">
          {entry.target_change.reason}
        </p>
      </div>
      {warnings.map((warning) => (
        <div class="alert alert-warning" role="alert" key={warning}>
          {warning}
        </div>
      ))}
      <div class="actions">
        <Link class="button primary" href="/">
          Go to dashboard
        </Link>
        <button type="button" class="button" onClick={onAnother}>
          Log another check-in
        </button>
      </div>
    </Page>
  );
}

/** The check-in that completed the goal: said first and plainly, with what to do next (the dashboard's words). */
function GoalReachedResult({ entry, reached }: { entry: CheckInResult; reached: GoalReached }) {
  return (
    <Page title="Goal reached" heading={reached.heading}>
      <div class="result" role="status" data-testid="goal-reached">
        <p class="result-label">Body fat at your week {entry.week_number} check-in</p>
        <p class="result-value">{formatPercent(entry.body_fat_percentage)}</p>
        <p>{reached.achievement}</p>
        <p>{reached.nextSteps}</p>
      </div>
      {/* The ceiling warning only repeats that the bulk is complete; a rate warning still matters. */}
      {entry.rate_warning ? (
        <div class="alert alert-warning" role="alert">
          {entry.rate_warning}
        </div>
      ) : null}
      <div class="actions">
        <Link class="button primary" href="/goals/new">
          Start a goal
        </Link>
        <Link class="button" href="/">
          Go to dashboard
        </Link>
      </div>
    </Page>
  );
}

/** A check-in's verdict, worded and styled as the dashboard's. */
function OnTrack({ onTrack }: { onTrack: boolean }) {
  const state = onTrack ? 'on_track' : 'off_track';
  return <span class={TRACK_BADGE[state]}>{TRACK_LABEL[state]}</span>;
}
