/** The shell: header and navigation, the screen for the current path, and the sign-in guard. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { User } from './api/types.ts';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { MainNav } from './components/mainNav.tsx';
import { UpdatePrompt } from './components/UpdatePrompt.tsx';
import { Loading, Page } from './components/page.tsx';
import { APP_PATHS, type AppPath, PUBLIC_PATHS, SIGNED_OUT_PATHS } from './paths.ts';
import { Link, navigate, useLocation } from './router.tsx';
import { DailyLog } from './screens/DailyLog.tsx';
import { ForgotPassword } from './screens/ForgotPassword.tsx';
import { ResetPassword } from './screens/ResetPassword.tsx';
import { Dashboard } from './screens/Dashboard.tsx';
import { History } from './screens/History.tsx';
import { LogMeasurement } from './screens/LogMeasurement.tsx';
import { LogProgress } from './screens/LogProgress.tsx';
import { Plans } from './screens/Plans.tsx';
import { Settings } from './screens/Settings.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { SignUp } from './screens/SignUp.tsx';
import { SingleSignOn } from './screens/SingleSignOn.tsx';
import { StartGoal } from './screens/StartGoal.tsx';
import { Welcome } from './screens/Welcome.tsx';
import { resumeSession, useSession } from './session.ts';

const SIGNED_IN_SCREENS: Record<
  Exclude<AppPath, '/signin' | '/signup' | '/sso' | '/forgot-password' | '/reset-password'>,
  (props: { user: User }) => ComponentChildren
> = {
  '/': Dashboard,
  '/measurements/new': LogMeasurement,
  '/goals/new': StartGoal,
  '/progress/new': LogProgress,
  '/daily': DailyLog,
  '/history': History,
  '/plans': Plans,
  '/settings': Settings,
};

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Header({ signedIn, path }: { signedIn: boolean; path: string }) {
  return (
    <header class="site-header">
      <div class="header-row">
        <Link class="brand" href="/" aria-label="Recomp home">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M7 22l6-7 5 4 7-9" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          <span>Recomp</span>
        </Link>
        {signedIn ? <MainNav path={path} /> : null}
      </div>
    </header>
  );
}

function Shell({ signedIn, path, children }: { signedIn: boolean; path: string; children: ComponentChildren }) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header signedIn={signedIn} path={path} />
      <UpdatePrompt />
      <ConnectionBanner />
      <main id="main">{children}</main>
      <footer class="site-footer">
        <p>
          Recomp is open source. Developers: <a href="/docs">API documentation</a>.
        </p>
      </footer>
    </>
  );
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>
        There is no page here. <Link href="/">Go to the start</Link>.
      </p>
    </Page>
  );
}

export function App() {
  const session = useSession();
  const { path } = useLocation();
  const signedIn = session.status === 'signedIn';
  const known = (APP_PATHS as readonly string[]).includes(path);

  let screen: ComponentChildren;
  if (session.status === 'loading') screen = <Loading what="Recomp" />;
  else if (session.status === 'unavailable') {
    screen = (
      <Page title="Cannot load Recomp">
        <p>{session.message}</p>
        <button type="button" class="button primary" onClick={() => void resumeSession()}>
          Try again
        </button>
      </Page>
    );
  } else if (!known) screen = <NotFound />;
  // A reset link works whoever is signed in here: setting the password signs in as its account.
  else if (path === '/reset-password') screen = <ResetPassword />;
  else if (session.status === 'signedIn') {
    if (SIGNED_OUT_PATHS.includes(path as AppPath)) screen = <Redirect to="/" />;
    else {
      const Screen = SIGNED_IN_SCREENS[path as keyof typeof SIGNED_IN_SCREENS];
      screen = <Screen user={session.user} />;
    }
  } else if (!PUBLIC_PATHS.includes(path as AppPath)) {
    screen = <Redirect to={`/signin?next=${encodeURIComponent(path + window.location.search)}`} />;
  } else {
    screen =
      path === '/signin' ? (
        <SignIn />
      ) : path === '/signup' ? (
        <SignUp />
      ) : path === '/sso' ? (
        <SingleSignOn />
      ) : path === '/forgot-password' ? (
        <ForgotPassword />
      ) : (
        <Welcome />
      );
  }
  return (
    <Shell signedIn={signedIn} path={path}>
      {screen}
    </Shell>
  );
}
