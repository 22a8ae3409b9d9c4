/** A small history-API router: the screens are a flat list (paths.ts), so a table lookup is enough. */
import type { ComponentChildren } from 'preact';
import { createStore, useStore } from './store.ts';

export { safeNext } from './nextPath.ts';

/** `state` is what navigate() left for the screen (history.state): it survives a reload, unlike a module variable. */
interface Location {
  path: string;
  search: URLSearchParams;
  state: unknown;
}

const current = (): Location => ({
  path: normalise(window.location.pathname),
  search: new URLSearchParams(window.location.search),
  state: window.history.state as unknown,
});
const normalise = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

const locationStore = createStore<Location>(current());
window.addEventListener('popstate', () => locationStore.set(current()));

export const useLocation = () => useStore(locationStore);
export const currentLocation = () => locationStore.get();

export function navigate(to: string, options: { replace?: boolean; state?: unknown } = {}) {
  const state = options.state ?? null;
  if (options.replace) window.history.replaceState(state, '', to);
  else window.history.pushState(state, '', to);
  window.scrollTo(0, 0);
  locationStore.set(current());
}

/** Where the person is now, to come back to after signing in again. */
export const here = () => window.location.pathname + window.location.search;

type LinkProps = { href: string; children: ComponentChildren; class?: string; 'aria-label'?: string; 'aria-current'?: 'page' | undefined };

export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
