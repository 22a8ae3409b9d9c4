import { useState } from 'preact/hooks';
import type { Method, Sex } from '../api/types.ts';
import { register } from '../api/queries.ts';
import { FormAlert, InputField, RadioGroup, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { heightCm, useHeightInput } from '../components/heightField.tsx';
import { Page } from '../components/page.tsx';
import { ProfileFields } from '../components/ProfileFields.tsx';
import { SsoButton } from '../components/ssoButton.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { METHOD_LABEL, METHODS } from '../methods.ts';
import { Link, navigate } from '../router.tsx';
import { startSession } from '../session.ts';
import { useUnits } from '../units.ts';
import { toSignInAfterSignUp } from './SignIn.tsx';

const FIELDS = ['email', 'password', 'full_name', 'date_of_birth', 'gender', 'height_cm', 'activity_level', 'preferred_calculation_method'];

export function SignUp() {
  const units = useUnits();
  const [form, setForm] = useState({
    email: '',
    password: '',
    full_name: '',
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
    if (!form.email.trim()) fields.email = 'Enter your email address.';
    if (form.password.length < 8) fields.password = 'Choose a password of at least 8 characters.';
    if (!form.full_name.trim()) fields.full_name = 'Enter your name.';
    if (!form.date_of_birth) fields.date_of_birth = 'Enter your date of birth.';
    if (!form.gender) fields.gender = 'Choose male or female: the body-fat equations differ.';
    const cm = heightCm(units === 'imperial', height);
    if (typeof cm === 'string') fields.height_cm = cm;
    if (Object.keys(fields).length) return setErrors({ top: null, fields });
    setBusy(true);
    const email = form.email.trim();
    try {
      await register({ ...form, email, full_name: form.full_name.trim(), height_cm: cm, units });
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS, units));
      setBusy(false);
      return;
    }
    try {
      await startSession(email, form.password);
      navigate('/', { replace: true });
    } catch {
      // The account exists now (sending this form again would say the email is taken): only the
      // sign-in failed (429, network), so Sign in takes over, with the email filled in.
      toSignInAfterSignUp(email);
    }
  };

  return (
    <Page title="Create account" lead="A few facts about you set your calorie needs and which body-fat equations apply.">
      <form class="form" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        <InputField
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onValue={set('email')}
          error={errors.fields.email}
        />
        <InputField
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="8 to 128 characters."
          value={form.password}
          onValue={set('password')}
          error={errors.fields.password}
        />
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
      <SsoButton />
      <p>
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </Page>
  );
}
