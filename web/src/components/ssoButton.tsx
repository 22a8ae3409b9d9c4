/** "Sign in with <provider>" on Sign in and Create account, when the service has single sign-on (GET /auth/options). */
import { useEffect, useState } from 'preact/hooks';
import { authOptions } from '../api/authOptions.ts';
import type { AuthOptions } from '../api/types.ts';

export function SsoButton() {
  const [sso, setSso] = useState<AuthOptions['sso']>(null);
  useEffect(() => {
    let live = true;
    authOptions().then(
      (options) => live && setSso(options.sso),
      // Without an answer the button stays away; password sign-in still works.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (sso === null) return null;
  return (
    <div class="sso">
      {/* A plain link: the browser itself goes to the service, which sends it on to the provider. */}
      <a class="button" href={sso.start_url}>
        Sign in with {sso.name}
      </a>
    </div>
  );
}
