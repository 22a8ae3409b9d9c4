import { useEffect, useRef, useState } from 'preact/hooks';
import { requestPasswordReset } from '../api/passwordReset.ts';
import { FormAlert, InputField, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { Page } from '../components/page.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { Link } from '../router.tsx';
import { useUnits } from '../units.ts';

/** Asks for a mail with a link to set a new password. The answer is the same whether or not the address has an account. */
export function ForgotPassword() {
  const units = useUnits();
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const formRef = useFocusFirstError(errors);
  const sentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (sent) sentRef.current?.focus();
  }, [sent]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!email.trim()) return setErrors({ top: null, fields: { email: 'Enter your email address.' } });
    setBusy(true);
    try {
      await requestPasswordReset(email.trim());
      setErrors(noErrors);
      setSent(true);
    } catch (error) {
      setErrors(toFormErrors(error, ['email'], units));
    }
    setBusy(false);
  };

  return (
    <Page title="Forgot password">
      {sent ? (
        <div class="alert alert-success" role="status" tabIndex={-1} ref={sentRef}>
          If an account exists for that address, a link is on its way. Open it within 30 minutes to set a new password.
        </div>
      ) : (
        <p>Enter the email you sign in with. We will send a link to set a new password.</p>
      )}
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
        <SubmitButton busy={busy}>{sent ? 'Send again' : 'Send the link'}</SubmitButton>
      </form>
      <p>
        Remembered it? <Link href="/signin">Sign in</Link>
      </p>
    </Page>
  );
}
