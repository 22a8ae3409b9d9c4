import { render } from 'preact';
import { onSessionExpired } from './api/client.ts';
import { App } from './App.tsx';
import { syncNow } from './offline/queue.ts';
import { onSyncRequest, registerServiceWorker } from './pwa.ts';
import { currentLocation, here, navigate } from './router.tsx';
import { resumeSession, sessionLost } from './session.ts';
import './styles.css';

// An expired sign-in sends the person to Sign in, and back to where they were afterwards.
onSessionExpired(() => {
  sessionLost();
  if (currentLocation().path !== '/signin') navigate(`/signin?expired=1&next=${encodeURIComponent(here())}`, { replace: true });
});

const root = document.getElementById('app');
if (root) render(<App />, root);
void resumeSession();
registerServiceWorker();
// The service worker's Background Sync asks this tab to send the entries made offline.
onSyncRequest(syncNow);
