import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { apiErrorOf } from './use-api.ts';

export interface ActionState {
  /** An action is under way: its form's submit button is disabled. */
  busy: boolean;
  /** Why the last action failed, or the form's own refusal, to show with `<ApiErrorMessage>`. */
  error: ApiError | string | undefined;
  /**
   * Runs `action` unless one is under way (a second tap never sends twice); a failure lands in
   * `error`: an ApiError as it is, anything else as `otherwise` (what failed on the device) or
   * as `apiErrorOf` says.
   */
  run: (action: () => Promise<void>, otherwise?: string) => Promise<void>;
  /** A form's own check refused it (« Indiquez le nom. »), or `undefined` to clear the error. */
  refuse: (message: string | undefined) => void;
}

/**
 * The one way a screen runs what a person asked for (POST, PATCH, DELETE from a form or a
 * button): `busy` while it runs, its failure as the ApiError `api()` threw (any other as the
 * message of `apiErrorOf`), cleared when the next action starts. What a screen shows from the
 * API comes from `useApi` instead.
 */
export function useAction(): ActionState {
  const [state, setState] = useState<{ busy: boolean; error?: ApiError | string }>({ busy: false });
  // The state is drawn later: a second submit in the same frame must still find it busy.
  const running = useRef(false);

  const run = useCallback(async (action: () => Promise<void>, otherwise?: string) => {
    if (running.current) return;
    running.current = true;
    setState({ busy: true });
    try {
      await action();
      setState({ busy: false });
    } catch (caught) {
      setState({ busy: false, error: otherwise !== undefined && !(caught instanceof ApiError) ? otherwise : apiErrorOf(caught) });
    } finally {
      running.current = false;
    }
  }, []);
  const refuse = useCallback((message: string | undefined) => setState((was) => ({ busy: was.busy, ...(message !== undefined && { error: message }) })), []);

  return { busy: state.busy, error: state.error, run, refuse };
}
