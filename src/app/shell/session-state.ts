import type { SessionInfo } from '../../domain/account.ts';
import { getSession, type StoredSession } from '../../store/session.ts';
import { listen } from '../../sync/channel.ts';
import { createStore } from './tiny-store.ts';

/** Who was signed in when the app last read IndexedDB: what the first screen shows, no secret. */
export interface LastSignedIn {
  user: SessionInfo['user'];
  mustChangePassword: boolean;
}

export interface SessionState {
  /** IndexedDB has been read: until then the app does not know who is signed in. */
  loaded: boolean;
  session: StoredSession | undefined;
  /**
   * Until IndexedDB has been read (undefined after): who was signed in at the end of the
   * last visit, from localStorage, read at once. The survey screen draws from it while
   * IndexedDB opens (issue 19) and lets nothing be saved before `loaded`: a reading is
   * attributed to the session read from IndexedDB, never to this.
   */
  lastSignedIn: LastSignedIn | undefined;
}

const LAST_SIGNED_IN_KEY = 'couverture.last-signed-in';

/** Who is signed in, as every screen sees it; the same in every open tab. */
export const sessionState = createStore<SessionState>({ loaded: false, session: undefined, lastSignedIn: readLastSignedIn() });

/**
 * Reads who is signed in from IndexedDB into `sessionState`. A read that finds what is already
 * there (the sync scheduler's at start, a tab's own news coming back) leaves it alone: every
 * screen re-renders when it changes. Every read (sign-in, sign-out, another tab's news) keeps
 * localStorage's copy for the next start in step.
 */
export async function refreshSessionState(): Promise<StoredSession | undefined> {
  const session = await getSession();
  const current = sessionState.get();
  if (!current.loaded || JSON.stringify(current.session) !== JSON.stringify(session)) sessionState.set({ loaded: true, session, lastSignedIn: undefined });
  rememberLastSignedIn(session);
  return session;
}

/** Follows sign-ins, sign-outs and expiries made in any tab or by the service worker. */
export function watchSession(onChange: (session: StoredSession | undefined) => void): () => void {
  return listen((event) => {
    if (event.type === 'session-changed') void refreshSessionState().then(onChange);
  });
}

function readLastSignedIn(): LastSignedIn | undefined {
  try {
    const kept = JSON.parse(localStorage.getItem(LAST_SIGNED_IN_KEY) ?? 'null') as LastSignedIn | null;
    return kept?.user && typeof kept.user.id === 'string' && typeof kept.user.role === 'string' ? kept : undefined;
  } catch {
    return undefined;
  }
}

function rememberLastSignedIn(session: StoredSession | undefined): void {
  try {
    if (!session) {
      localStorage.removeItem(LAST_SIGNED_IN_KEY);
      return;
    }
    const kept = JSON.stringify({ user: session.info.user, mustChangePassword: session.info.mustChangePassword === true } satisfies LastSignedIn);
    if (localStorage.getItem(LAST_SIGNED_IN_KEY) !== kept) localStorage.setItem(LAST_SIGNED_IN_KEY, kept);
  } catch {
    // Storage refused (private browsing): the next start waits for IndexedDB, as before.
  }
}
