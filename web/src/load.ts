/**
 * Loading a screen's data: state for the data, the error and a reload; stale answers are dropped.
 * Every load runs again when the app is back online or entries made offline reached the server
 * (offline/connection.ts), so what was shown from the device is replaced by the server's answer.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, SessionExpired } from './api/client.ts';
import { refreshStore } from './offline/connection.ts';
import { useStore } from './store.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const generation = useRef(0);
  const refreshes = useStore(refreshStore);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => {
        if (mine === generation.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (mine !== generation.current || error instanceof SessionExpired) return;
        setState((previous) => ({
          ...previous,
          loading: false,
          error: error instanceof ApiError ? error.message : 'Something went wrong.',
        }));
      },
    );
  }, [...deps, refreshes]);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  return { ...state, reload: run };
}
