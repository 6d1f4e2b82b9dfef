import { getSession, type StoredSession } from '../../store/session.ts';
import { listen } from '../../sync/channel.ts';
import { createStore } from './tiny-store.ts';

export interface SessionState {
  /** IndexedDB has been read: until then the app does not know who is signed in. */
  loaded: boolean;
  session: StoredSession | undefined;
}

/** Who is signed in, as every screen sees it; the same in every open tab. */
export const sessionState = createStore<SessionState>({ loaded: false, session: undefined });

/**
 * Reads who is signed in from IndexedDB into `sessionState`. A read that finds what is already
 * there (the sync scheduler's at start, a tab's own news coming back) leaves it alone: every
 * screen re-renders when it changes.
 */
export async function refreshSessionState(): Promise<StoredSession | undefined> {
  const session = await getSession();
  const current = sessionState.get();
  if (!current.loaded || JSON.stringify(current.session) !== JSON.stringify(session)) sessionState.set({ loaded: true, session });
  return session;
}

/** Follows sign-ins, sign-outs and expiries made in any tab or by the service worker. */
export function watchSession(onChange: (session: StoredSession | undefined) => void): () => void {
  return listen((event) => {
    if (event.type === 'session-changed') void refreshSessionState().then(onChange);
  });
}
