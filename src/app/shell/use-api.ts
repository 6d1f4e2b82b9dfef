import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type * as v from 'valibot';
import { api, ApiError } from './api.ts';
import { RequestSlot } from './request-slot.ts';

export interface ApiState<T> {
  /** The last answer of the current path (kept while `reload()` runs, dropped when the path changes). */
  data: T | undefined;
  /** Why the last request failed, to show with `<ApiErrorMessage>`. */
  error: ApiError | undefined;
  loading: boolean;
  /** Asks again (« Actualiser », « Réessayer »), aborting a request under way; resolves once the answer is shown. */
  reload: () => Promise<void>;
}

/**
 * What a screen shows from the API: fetches `path` (none while it is `null`), again when the
 * path or `deps` change and on `reload()`, aborting the request before and the one under way
 * when the screen goes. A late answer never overwrites a newer one. `api()` parses the answer
 * with its schema from the contract (src/domain/api/), and `data` is typed by it.
 */
export function useApi<S extends v.GenericSchema>(path: string | null, schema: S, deps: readonly unknown[] = []): ApiState<v.InferOutput<S>> {
  type T = v.InferOutput<S>;
  const slot = useRef(new RequestSlot());
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [reloads, setReloads] = useState(0);
  // `reload()`s waiting for the next answer (or the screen's end).
  const waiting = useRef<(() => void)[]>([]);
  const release = () => {
    for (const resolve of waiting.current.splice(0)) resolve();
  };

  useEffect(() => {
    setState({ loading: path !== null });
    return () => {
      slot.current.abort();
      release();
    };
  }, [path, ...deps]);

  useEffect(() => {
    if (path === null) return;
    setState((was) => ({ ...was, error: undefined, loading: true }));
    slot.current.run(
      (signal) => api(path, schema, { signal }),
      (outcome) => {
        setState('data' in outcome ? { data: outcome.data, loading: false } : (was) => ({ ...was, error: apiErrorOf(outcome.error), loading: false }));
        release();
      },
    );
  }, [path, reloads, ...deps]);

  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve);
        setReloads((count) => count + 1);
      }),
    [],
  );
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Any failure as the French message a person can act on (`api()` throws ApiErrors; anything else is a fault of the page). */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('Le serveur n’a pas pu être joint correctement. Réessayez.', 0);
}
