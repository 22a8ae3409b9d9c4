import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { confirmPasswordReset } from '../api/passwordReset.ts';
import { FormAlert, InputField, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { Page } from '../components/page.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { Link, navigate } from '../router.tsx';
import { resumeSession } from '../session.ts';
import { useUnits } from '../units.ts';

/**
 * The token of the mailed link (`/reset-password#token=…`). It is in the fragment so that it never
 * reaches a server's log or another site's Referer; once read it is taken out of the address bar, so
 * it is not left in the history or shown over a shoulder.
 */
function tokenFromAddress(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token !== null) window.history.replaceState(window.history.state, '', window.location.pathname);
  return token;
}

/** Read as the app loads, before anything else may change the address. */
const tokenAtLoad = window.location.pathname === '/reset-password' ? tokenFromAddress() : null;

export function ResetPassword() {
  const units = useUnits();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState(() => tokenFromAddress() ?? tokenAtLoad);
  const [invalid, setInvalid] = useState(token === null);
  const formRef = useFocusFirstError(errors);
  // A link opened in a tab already showing this screen changes only the fragment.
  useEffect(() => {
    const read = () => {
      const fresh = tokenFromAddress();
      if (fresh === null) return;
      setToken(fresh);
      setInvalid(false);
      setErrors(noErrors);
    };
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < 8) return setErrors({ top: null, fields: { new_password: 'Choose a password of at least 8 characters.' } });
    setBusy(true);
    try {
      await confirmPasswordReset(token!, password);
      await resumeSession();
      navigate('/', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'invalid_reset_token') setInvalid(true);
      else setErrors(toFormErrors(error, ['new_password'], units));
      setBusy(false);
    }
  };

  if (invalid)
    return (
      <Page title="Set a new password">
        <div class="alert alert-error" role="alert">
          This link to set a new password does not work: it was used already, it is older than 30 minutes, or it was not copied whole.
        </div>
        <p>
          <Link href="/forgot-password">Ask for a new link</Link> or <Link href="/signin">sign in</Link>.
        </p>
      </Page>
    );
  return (
    <Page title="Set a new password">
      <p>Choose a new password. Every device signed in to your account is signed out, and you are signed in here.</p>
      <form class="form narrow" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        <InputField
          id="new_password"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="8 to 128 characters."
          value={password}
          onValue={setPassword}
          error={errors.fields.new_password}
        />
        <SubmitButton busy={busy}>Set the password</SubmitButton>
      </form>
    </Page>
  );
}
