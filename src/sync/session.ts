import type { SessionInfo } from '../domain/account.ts';
import { markSignInNeeded, saveSession, type StoredSession } from '../store/session.ts';
import { announce } from './channel.ts';
import { SESSION_ENDPOINT, SIGN_IN_NEEDED_MESSAGE } from './protocol.ts';

export type SessionCheck =
  /** The server knows the session: stored afresh (new CSRF token, sign-in flag cleared). */
  | { kind: 'valid'; session: StoredSession }
  /** 401: expired or revoked. Marked on the device; readings keep waiting. */
  | { kind: 'expired' }
  /** No answer worth acting on (offline, server down): the device's idea stays as it was. */
  | { kind: 'unknown' };

/**
 * Asks the server who this browser's cookie belongs to (GET /api/v1/session), and records
 * the answer in IndexedDB. Runs in the page (at start) and in the service worker (after a
 * refused CSRF token). Never deletes anything.
 */
export async function checkSession(fetchFn: typeof fetch = fetch, baseUrl = ''): Promise<SessionCheck> {
  let response: Response;
  try {
    response = await fetchFn(`${baseUrl}${SESSION_ENDPOINT}`, {
      method: 'GET',
      cache: 'no-store',
      credentials: 'same-origin',
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    return { kind: 'unknown' };
  }
  if (response.status === 401) {
    await markSignInNeeded(SIGN_IN_NEEDED_MESSAGE);
    announce({ type: 'session-changed' });
    return { kind: 'expired' };
  }
  if (!response.ok) return { kind: 'unknown' };
  const info = (await response.json().catch(() => undefined)) as SessionInfo | undefined;
  if (!isSessionInfo(info)) return { kind: 'unknown' };
  const session = await saveSession(info);
  announce({ type: 'session-changed' });
  return { kind: 'valid', session };
}

export function isSessionInfo(value: unknown): value is SessionInfo {
  const info = value as Partial<SessionInfo> | undefined;
  return (
    typeof info === 'object' &&
    info !== null &&
    typeof info.csrfToken === 'string' &&
    typeof info.user?.id === 'string' &&
    typeof info.user.role === 'string' &&
    Array.isArray(info.user.communes)
  );
}
