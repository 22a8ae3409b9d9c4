/**
 * Where the service sends the browser back after the provider (docs/SECURITY.md, 'Single sign-on'):
 * /sso#code=…. The code is taken out of the address bar at once and exchanged for a sign-in; a first
 * sign-in links an existing account by its password or completes a profile first.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { exchangeCode, linkAccount, pendingSignIn } from '../api/sso.ts';
import type { SsoPending, TokenPair } from '../api/types.ts';
import { FormAlert, InputField, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { Loading, Page } from '../components/page.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { Link, navigate } from '../router.tsx';
import { startSessionWith } from '../session.ts';
import { useUnits } from '../units.ts';
import { SsoProfile } from './SsoProfile.tsx';

type Stage =
  | { kind: 'working' }
  | { kind: 'failed'; message: string }
  | { kind: 'link'; code: string; pending: SsoPending }
  | { kind: 'signup'; code: string; pending: SsoPending };

/**
 * The code (or the refusal's code) from the fragment, moved into history.state: out of the address
 * bar, still there on a reload.
 */
function takeFragment(): { code?: string; error?: string } {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const code = fragment.get('code');
  const error = fragment.get('error');
  if (code || error) {
    const taken = { ...(code ? { code } : {}), ...(error ? { error } : {}) };
    window.history.replaceState({ sso: taken }, '', '/sso');
    return taken;
  }
  const state = window.history.state as { sso?: { code?: unknown; error?: unknown } } | null;
  return {
    ...(typeof state?.sso?.code === 'string' ? { code: state.sso.code } : {}),
    ...(typeof state?.sso?.error === 'string' ? { error: state.sso.error } : {}),
  };
}

const PLAIN: Record<string, string> = {
  oidc_code_invalid: 'This sign-in has expired or was already used. Please sign in again.',
  oidc_callback_invalid: 'The sign-in could not be verified. Please sign in again.',
  oidc_denied: 'The provider did not sign you in.',
  oidc_unavailable: 'The sign-in provider cannot be reached right now. Try again shortly, or sign in with your password.',
  network: 'Recomp cannot be reached. Check your connection and sign in again.',
};

function failure(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please sign in again.';
  return PLAIN[error.code ?? ''] ?? error.message;
}

/** Signed in: the tokens kept, the profile loaded, on to the dashboard. */
async function finishSignIn(pair: TokenPair) {
  await startSessionWith(pair);
  navigate('/', { replace: true });
}

export function SingleSignOn() {
  const [stage, setStage] = useState<Stage>({ kind: 'working' });
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const { code, error } = takeFragment();
    if (code === undefined) {
      const message = (error && PLAIN[error]) ?? 'This sign-in link is incomplete. Please sign in again.';
      setStage({ kind: 'failed', message });
      return;
    }
    void (async () => {
      try {
        const pending = await pendingSignIn(code);
        if (pending.next === 'link') return setStage({ kind: 'link', code, pending });
        if (pending.next === 'signup') return setStage({ kind: 'signup', code, pending });
        // sign_in signs in; refused answers 403 with the service's reason, shown below.
        await finishSignIn(await exchangeCode(code));
      } catch (error) {
        setStage({ kind: 'failed', message: failure(error) });
      }
    })();
  }, []);

  if (stage.kind === 'link') return <LinkAccount code={stage.code} pending={stage.pending} />;
  if (stage.kind === 'signup') return <SsoProfile code={stage.code} pending={stage.pending} finishSignIn={finishSignIn} />;
  return (
    <Page title="Signing in">
      {stage.kind === 'working' ? (
        <Loading what="your sign-in" />
      ) : (
        <>
          <div class="alert alert-error" role="alert">
            {stage.message}
          </div>
          <p>
            <Link href="/signin">Back to Sign in</Link>
          </p>
        </>
      )}
    </Page>
  );
}

function LinkAccount({ code, pending }: { code: string; pending: SsoPending }) {
  const units = useUnits();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!password) return setErrors({ top: null, fields: { password: 'Enter the password of your Recomp account.' } });
    setBusy(true);
    try {
      await finishSignIn(await linkAccount(code, password));
    } catch (error) {
      const shown = toFormErrors(error, ['password'], units);
      setErrors(error instanceof ApiError && error.code === 'oidc_code_invalid' ? { top: failure(error), fields: {} } : shown);
      setBusy(false);
    }
  };

  return (
    <Page
      title="Link your account"
      lead={`An account with ${pending.email ?? 'your email'} already exists here. Enter its password once to link it to ${pending.provider}; after that, ${pending.provider} signs you in.`}
    >
      <form class="form narrow" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        <InputField
          id="password"
          label="Recomp password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          error={errors.fields.password}
        />
        <SubmitButton busy={busy}>Link and sign in</SubmitButton>
      </form>
      <p>
        Not your account? <Link href="/signin">Back to Sign in</Link>
      </p>
    </Page>
  );
}
