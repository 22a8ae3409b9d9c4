/** A check-in made offline (Log progress, or Log measurement counted as one): it waits on the device (offline/queue.ts). */
import { Link } from '../router.tsx';
import { Page } from './page.tsx';

export function CheckInQueued() {
  return (
    <Page title="Check-in saved on this device" heading="Check-in waiting to sync">
      <div class="alert alert-warning" role="status" data-testid="check-in-queued">
        <p>
          Your check-in is saved on this device and is sent to your account as soon as Recomp can be reached. Its results (your body fat,
          the change since last time and any new calorie target) appear then.
        </p>
      </div>
      <div class="actions">
        <Link class="button primary" href="/">
          Back to the dashboard
        </Link>
      </div>
    </Page>
  );
}
