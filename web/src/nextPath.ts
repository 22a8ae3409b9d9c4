/** Where to go after signing in, from `?next=`: kept apart from router.tsx so it can be tested without a window. */

const BASE = 'http://recomp.invalid';

/**
 * Only same-app paths are followed after sign-in: never an open redirect, and never a URL that
 * pushState would refuse. "//host" and "/\host" both name another host (browsers read "\" as "/"),
 * as does "/\t/host" once the URL parser drops the tab: the parsed origin is checked as well.
 */
export function safeNext(next: string | null): string {
  if (!next || !/^\/(?![/\\])/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  return url.origin === BASE ? url.pathname + url.search + url.hash : '/';
}
