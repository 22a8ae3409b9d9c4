/**
 * Says plainly when the app is offline and how old what it shows is (offline/connection.ts): the
 * data then comes from the device, as it was when last seen.
 */
import { formatDateTime } from '../format.ts';
import { connectionStore } from '../offline/connection.ts';
import { useStore } from '../store.ts';
import './offline.css';

function age(savedAt: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - savedAt) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function ConnectionBanner() {
  const { offline, dataAsOf } = useStore(connectionStore);
  if (!offline) return null;
  return (
    <div class="connection-banner" role="status" data-testid="offline-banner">
      <strong>{navigator.onLine === false ? 'You are offline.' : 'Recomp cannot be reached right now.'}</strong>{' '}
      {dataAsOf === null
        ? ''
        : `What you see was saved on this device ${age(dataAsOf, Date.now())} (${formatDateTime(new Date(dataAsOf).toISOString())}). `}
      What you log is kept on this device and sent as soon as Recomp can be reached.
    </div>
  );
}
