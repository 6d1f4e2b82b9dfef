import { CSRF_HEADER } from '../../domain/account.ts';
import { markSignInNeeded } from '../../store/session.ts';
import { announce } from '../../sync/channel.ts';
import { SIGN_IN_NEEDED_MESSAGE } from '../../sync/protocol.ts';
import { sessionState } from './session-state.ts';

/** A refusal or failure of an API call, with a message to show as it is (French). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * The page's calls to the API (screens that need the network: review, administration).
 * Sends the session cookie and, on a state-changing call, the CSRF token; a 401 marks the
 * session as needing a sign-in on every open page.
 */
export async function api<T>(path: string, { method = 'GET', body, signal }: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = sessionState.get().session?.info.csrfToken;
  if (method !== 'GET' && csrf) headers[CSRF_HEADER] = csrf;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(body !== undefined && { body: JSON.stringify(body) }),
      ...(signal && { signal }),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('Pas de réseau : cet écran a besoin de joindre le serveur.', 0);
  }
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  if (response.ok) return payload as T;
  if (response.status === 401 && sessionState.get().session) {
    await markSignInNeeded(SIGN_IN_NEEDED_MESSAGE);
    announce({ type: 'session-changed' });
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(
    typeof payload?.error === 'string' ? payload.error : `Le serveur a répondu ${response.status}`,
    response.status,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
