import { ApiError } from './api.ts';

/** Whether asking again may help: no network, the server busy or failing, too many requests. */
export function retryHelps(error: ApiError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** « Réessayez dans 2 min » from a Retry-After in seconds. */
export function retryAfterText(seconds: number): string {
  if (seconds < 60) return `Réessayez dans ${Math.ceil(seconds)} s.`;
  return `Réessayez dans ${Math.ceil(seconds / 60)} min.`;
}

/**
 * The one way a screen says a call failed: the server's French message (as `api()` gives
 * it), when to try again if the server said, and « Réessayer » where asking again can help
 * and the screen passes `onRetry` (useApi's `reload`). Nothing when there is no error.
 */
export function ApiErrorMessage({ error, onRetry, id }: { error: ApiError | string | undefined; onRetry?: () => void; id?: string }) {
  if (error === undefined) return null;
  const failure = typeof error === 'string' ? new ApiError(error, -1) : error;
  return (
    <p class="error" role="alert" {...(id && { id })}>
      {failure.message}
      {failure.retryAfterS !== undefined && ` ${retryAfterText(failure.retryAfterS)}`}
      {onRetry && retryHelps(failure) && (
        <>
          {' '}
          <button type="button" class="link-button" onClick={onRetry}>
            Réessayer
          </button>
        </>
      )}
    </p>
  );
}
