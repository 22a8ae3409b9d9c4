import { Page } from '../components/page.tsx';
import { Link } from '../router.tsx';

export function Welcome() {
  return (
    <Page title="Welcome" heading="Get leaner or bigger — and see it happen">
      {new URLSearchParams(location.search).get('account') === 'deleted' ? (
        <div class="alert alert-success" role="status">
          Your account and all its data were deleted.
        </div>
      ) : null}
      <p class="lead">
        Recomp turns your tape or skinfold measurements into body fat, a calorie target and a training and diet plan, and shows week by week
        whether your cut or bulk is on track.
      </p>
      <div class="actions">
        <Link class="button primary" href="/signin">
          Sign in
        </Link>
        <Link class="button" href="/signup">
          Create account
        </Link>
      </div>
      <ul class="features">
        <li>
          <strong>Body fat from a tape or callipers</strong> — US Navy, 3-site and 7-site Jackson–Pollock, with how-to hints for every site.
        </li>
        <li>
          <strong>A goal with a safe range</strong> — a cutting target or a bulking ceiling, a calorie target and an estimated finish.
        </li>
        <li>
          <strong>One dashboard</strong> — your trend, your plans and any warning, legible on your phone in the gym.
        </li>
      </ul>
    </Page>
  );
}
