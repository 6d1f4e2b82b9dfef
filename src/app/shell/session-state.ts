import type { Role } from '../../domain/account.ts';
import { getSession, type StoredSession } from '../../store/session.ts';
import { listen } from '../../sync/channel.ts';
import { createStore } from './tiny-store.ts';

/** Who was signed in when the app last read IndexedDB: their role, enough to know the first screen. */
export interface LastSignedIn {
  role: Role;
  mustChangePassword: boolean;
}

export interface SessionState {
  /** IndexedDB has been read: until then the app does not know who is signed in. */
  loaded: boolean;
  session: StoredSession | undefined;
  /**
   * Until IndexedDB has been read (undefined after): who was signed in at the end of the
   * last visit, from localStorage, read at once. The start asks for the survey's first fix
   * at once when it says the survey will be the first screen (shell/start-first.ts, issue 19);
   * nothing is drawn, saved or sent on its word.
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
  return (await readSessionState())();
}

/**
 * refreshSessionState in two steps: reads, and answers the step that shows what it read, for
 * the start, which shows the session and the campaign in one go (one render for both).
 */
export async function readSessionState(): Promise<() => StoredSession | undefined> {
  const session = await getSession();
  return () => showSessionState(session);
}

/** The step of refreshSessionState that shows a session read from IndexedDB (the start reads it with the campaign). */
export function showSessionState(session: StoredSession | undefined): StoredSession | undefined {
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
    return typeof kept?.role === 'string' ? { role: kept.role, mustChangePassword: kept.mustChangePassword === true } : undefined;
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
    const kept = JSON.stringify({ role: session.info.user.role, mustChangePassword: session.info.mustChangePassword === true } satisfies LastSignedIn);
    if (localStorage.getItem(LAST_SIGNED_IN_KEY) !== kept) localStorage.setItem(LAST_SIGNED_IN_KEY, kept);
  } catch {
    // Storage refused (private browsing): the next start waits for IndexedDB, as before.
  }
}
