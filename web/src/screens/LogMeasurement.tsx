import { useState } from 'preact/hooks';
import { SubmissionKey } from '../api/idempotency.ts';
import type { Measurement, Method, User } from '../api/types.ts';
import { activeGoal, createMeasurement } from '../api/queries.ts';
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
import { Page } from '../components/page.tsx';
import { clearDraft, useDraft } from '../drafts.ts';
import { formatDateTime, formatPercent } from '../format.ts';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { useLoad } from '../load.ts';
import { METHOD_LABEL, METHODS } from '../methods.ts';
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
  const goal = useLoad(activeGoal, [saved]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const prepared = measurementBody(method, user.gender, units, input);
    if (!prepared.body) return setErrors({ top: null, fields: prepared.errors });
    setBusy(true);
    try {
      setSaved(await createMeasurement(prepared.body, submission.for(prepared.body)));
      submission.settle();
      clearDraft('measurement');
      setErrors(noErrors);
    } catch (error) {
      submission.settle(error);
      setErrors(toFormErrors(error, measurementFieldIds(method, user.gender), units));
    } finally {
      setBusy(false);
    }
  };

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
        </div>
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
        <SubmitButton busy={busy}>Save measurement</SubmitButton>
      </form>
    </Page>
  );
}
