/** Loading a screen's data: state for the data, the error and a reload; stale answers are dropped. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, SessionExpired } from './api/client.ts';

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
  }, deps);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  return { ...state, reload: run };
}
