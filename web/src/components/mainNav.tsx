/**
 * The signed-in navigation: the header's links on a wide screen, and on a phone a tab bar fixed to
 * the bottom of the screen, in thumb reach, with an icon over a short label (styles.css, "Tab bar").
 * One list serves both so there is one "Main" landmark; each link carries both labels and the
 * stylesheet shows one, so its accessible name is always the text on screen.
 */
import type { AppPath } from '../paths.ts';
import { Link } from '../router.tsx';

type Icon = 'today' | 'log' | 'history' | 'plans' | 'settings';

const TABS: { href: AppPath; label: string; short: string; icon: Icon }[] = [
  { href: '/', label: 'Dashboard', short: 'Today', icon: 'today' },
  { href: '/daily', label: 'Daily log', short: 'Log', icon: 'log' },
  { href: '/history', label: 'History', short: 'History', icon: 'history' },
  { href: '/plans', label: 'Plans', short: 'Plans', icon: 'plans' },
  { href: '/settings', label: 'Settings', short: 'Settings', icon: 'settings' },
];

/** 24 × 24 outline icons, drawn with the link's colour. */
const ICON_PATHS: Record<Icon, string> = {
  today: 'M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z',
  log: 'M12 5v14M5 12h14',
  history: 'M12 7v5l3 3M3.5 12a8.5 8.5 0 1 0 2.5-6M3 4v4h4',
  plans: 'M8 4h8M6 4h12a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zM9 10h6M9 14h6M9 18h4',
  settings: 'M4 7h10M18 7h2M4 17h4M12 17h8M14 5v4M8 15v4',
};

export function MainNav({ path }: { path: string }) {
  return (
    <nav aria-label="Main" class="main-nav">
      <ul>
        {TABS.map((tab) => (
          <li key={tab.href}>
            <Link href={tab.href} aria-current={path === tab.href ? 'page' : undefined}>
              <svg class="tab-icon" aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
                <path
                  d={ICON_PATHS[tab.icon]}
                  fill="none"
                  stroke="currentColor"
                  stroke-width="2"
                  stroke-linecap="round"
                  stroke-linejoin="round"
                />
              </svg>
              <span class="label-long">{tab.label}</span>
              <span class="label-short">{tab.short}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
