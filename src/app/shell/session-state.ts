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

export async function refreshSessionState(): Promise<StoredSession | undefined> {
  const session = await getSession();
  sessionState.set({ loaded: true, session });
  return session;
}

/** Follows sign-ins, sign-outs and expiries made in any tab or by the service worker. */
export function watchSession(onChange: (session: StoredSession | undefined) => void): () => void {
  return listen((event) => {
    if (event.type === 'session-changed') void refreshSessionState().then(onChange);
  });
}
