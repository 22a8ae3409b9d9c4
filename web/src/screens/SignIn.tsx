import { useEffect, useState } from 'preact/hooks';
import { authOptions } from '../api/authOptions.ts';
import { FormAlert, InputField, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { Page } from '../components/page.tsx';
import { SsoButton } from '../components/ssoButton.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { Link, navigate, safeNext, useLocation } from '../router.tsx';
import { startSession } from '../session.ts';
import { useUnits } from '../units.ts';

/** What Create account leaves for Sign in (history state) when the account was made but signing in failed. */
interface AccountCreated {
  accountCreated: string;
}

const accountCreatedEmail = (state: unknown): string | null =>
  typeof state === 'object' && state !== null && typeof (state as Partial<AccountCreated>).accountCreated === 'string'
    ? (state as AccountCreated).accountCreated
    : null;

export function toSignInAfterSignUp(email: string) {
  navigate('/signin', { replace: true, state: { accountCreated: email } satisfies AccountCreated });
}

export function SignIn() {
  const { search, state } = useLocation();
  const units = useUnits();
  const created = accountCreatedEmail(state);
  const [email, setEmail] = useState(created ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);
  const expired = search.get('expired') === '1';
  const [canReset, setCanReset] = useState(false);
  useEffect(() => {
    void authOptions().then((options) => setCanReset(options.password_reset));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = 'Enter your email address.';
    if (!password) fields.password = 'Enter your password.';
    if (Object.keys(fields).length) return setErrors({ top: null, fields });
    setBusy(true);
    try {
      await startSession(email.trim(), password);
      navigate(safeNext(search.get('next')), { replace: true });
    } catch (error) {
      setErrors(toFormErrors(error, ['email', 'password'], units));
      setBusy(false);
    }
  };

  return (
    <Page title="Sign in">
      {expired ? (
        <div class="alert alert-info" role="status">
          Your session has ended. Sign in again to carry on where you were.
        </div>
      ) : null}
      {created ? (
        <div class="alert alert-success" role="status">
          Your account was created. Sign in with your password to start.
        </div>
      ) : null}
      <form class="form narrow" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        <InputField
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onValue={setEmail}
          error={errors.fields.email}
        />
        <InputField
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          error={errors.fields.password}
        />
        <SubmitButton busy={busy}>Sign in</SubmitButton>
      </form>
      {canReset ? (
        <p>
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      ) : null}
      <SsoButton />
      <p>
        New to Recomp? <Link href="/signup">Create an account</Link>
      </p>
    </Page>
  );
}
