/** A first sign-in through the provider when the service creates accounts: the profile registration asks for. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { signUpWithProvider } from '../api/sso.ts';
import type { Method, Sex, SsoPending, TokenPair } from '../api/types.ts';
import { FormAlert, RadioGroup, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { heightCm, useHeightInput } from '../components/heightField.tsx';
import { Page } from '../components/page.tsx';
import { ProfileFields } from '../components/ProfileFields.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { ACTIVITY_LEVELS, METHOD_LABEL, METHODS } from '../methods.ts';
import { Link } from '../router.tsx';
import { useUnits } from '../units.ts';

const FIELDS = ['full_name', 'date_of_birth', 'gender', 'height_cm', 'activity_level', 'preferred_calculation_method'];

/** `finishSignIn` takes the new account's tokens (screens/SingleSignOn.tsx). */
export function SsoProfile({
  code,
  pending,
  finishSignIn,
}: {
  code: string;
  pending: SsoPending;
  finishSignIn: (pair: TokenPair) => Promise<void>;
}) {
  const units = useUnits();
  const [form, setForm] = useState({
    full_name: pending.full_name ?? '',
    date_of_birth: '',
    gender: '' as Sex | '',
    activity_level: 'moderately_active',
    preferred_calculation_method: 'navy' as Method,
  });
  const [height, setHeight] = useHeightInput(() => ({ cm: '', feet: '', inches: '' }), units === 'imperial');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);
  const set = (name: keyof typeof form) => (value: string) => setForm({ ...form, [name]: value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (!form.full_name.trim()) fields.full_name = 'Enter your name.';
    if (!form.date_of_birth) fields.date_of_birth = 'Enter your date of birth.';
    if (!form.gender) fields.gender = 'Choose male or female: the body-fat equations differ.';
    const cm = heightCm(units === 'imperial', height);
    if (typeof cm === 'string') fields.height_cm = cm;
    if (Object.keys(fields).length || typeof cm === 'string' || !form.gender) return setErrors({ top: null, fields });
    setBusy(true);
    try {
      await finishSignIn(
        await signUpWithProvider({
          code,
          full_name: form.full_name.trim(),
          date_of_birth: form.date_of_birth,
          gender: form.gender,
          height_cm: cm,
          activity_level: form.activity_level as (typeof ACTIVITY_LEVELS)[number]['value'],
          preferred_calculation_method: form.preferred_calculation_method,
          units,
        }),
      );
    } catch (error) {
      const shown = toFormErrors(error, FIELDS, units);
      setErrors(
        error instanceof ApiError && error.code === 'oidc_code_invalid'
          ? { top: 'This sign-in has expired or was already used. Please sign in again.', fields: {} }
          : shown,
      );
      setBusy(false);
    }
  };

  return (
    <Page
      title="Complete your profile"
      lead={`Welcome${pending.email ? `, ${pending.email}` : ''}. A few facts about you set your calorie needs and which body-fat equations apply.`}
    >
      <form class="form" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        <ProfileFields values={form} set={set} errors={errors.fields} units={units} height={height} setHeight={setHeight} />
        <RadioGroup
          name="preferred_calculation_method"
          legend="Preferred method"
          value={form.preferred_calculation_method}
          onValue={set('preferred_calculation_method')}
          error={errors.fields.preferred_calculation_method}
          hint="How you will usually measure. You can pick another method each time."
          options={METHODS.map((method) => ({ value: method, label: METHOD_LABEL[method] }))}
        />
        <SubmitButton busy={busy}>Create account</SubmitButton>
      </form>
      <p>
        Changed your mind? <Link href="/signin">Back to Sign in</Link>
      </p>
    </Page>
  );
}
