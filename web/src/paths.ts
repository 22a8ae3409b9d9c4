/**
 * The app's screens. The client router and the server's SPA fallback (src/http/web.ts) both read
 * this list, so a screen added here is served on reload too. Pure data: no DOM, no imports.
 */
export const APP_PATHS = [
  '/',
  '/signup',
  '/signin',
  '/forgot-password',
  '/reset-password',
  '/measurements/new',
  '/goals/new',
  '/progress/new',
  '/daily',
  '/history',
  '/plans',
  '/settings',
  '/sso',
] as const;

export type AppPath = (typeof APP_PATHS)[number];

/** Screens a signed-out person may see; every other screen sends them to Sign in first. */
export const PUBLIC_PATHS: readonly AppPath[] = ['/', '/signup', '/signin', '/sso', '/forgot-password', '/reset-password'];

/** Screens only for signed-out people: a signed-in person opening one goes to the start. */
export const SIGNED_OUT_PATHS: readonly AppPath[] = ['/signup', '/signin', '/sso', '/forgot-password'];
