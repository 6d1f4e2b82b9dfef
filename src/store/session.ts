import type { SessionInfo } from '../domain/account.ts';
import { withDb } from './db.ts';

/**
 * Who is signed in on this device, as the server last said (GET/POST /api/v1/session).
 * Kept in IndexedDB so that the app knows it offline and the service worker can read the
 * CSRF token it must send. The cookie itself is HttpOnly: only the browser holds it.
 */
export interface StoredSession {
  info: SessionInfo;
  /** When the server last confirmed it (ms since epoch). */
  confirmedAt: number;
  /**
   * The server answered 401 (expired or revoked) or refused the CSRF token: the person must
   * sign in again. Until then nothing is sent for this account; nothing is deleted either.
   */
  signInNeeded?: { since: number; reason: string };
}

/** Its key in the `meta` store. */
export const SESSION_KEY = 'session';

export async function getSession(): Promise<StoredSession | undefined> {
  return (await withDb((db) => db.get('meta', SESSION_KEY))) as StoredSession | undefined;
}

/** After a sign-in or a successful GET /api/v1/session: the session is good again. */
export async function saveSession(info: SessionInfo, at = Date.now()): Promise<StoredSession> {
  const stored: StoredSession = { info, confirmedAt: at };
  await withDb((db) => db.put('meta', stored, SESSION_KEY));
  return stored;
}

/**
 * Records that the server no longer accepts this session. Keeps who it was (the page offers
 * to sign in again as that person) and every reading. Answers the session as now stored,
 * undefined when nobody was signed in.
 */
export async function markSignInNeeded(reason: string, at = Date.now()): Promise<StoredSession | undefined> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readwrite');
    const current = (await tx.store.get(SESSION_KEY)) as StoredSession | undefined;
    let next: StoredSession | undefined;
    if (current) {
      next = { ...current, signInNeeded: current.signInNeeded ?? { since: at, reason } };
      await tx.store.put(next, SESSION_KEY);
    }
    await tx.done;
    return next;
  });
}

/** Sign-out: forgets the person. Readings stay on the device, waiting for their author. */
export async function clearSession(): Promise<void> {
  await withDb((db) => db.delete('meta', SESSION_KEY));
}

/** The session can send: someone is signed in and the server has not turned them away. */
export function isUsable(session: StoredSession | undefined): session is StoredSession {
  return session !== undefined && session.signInNeeded === undefined;
}
