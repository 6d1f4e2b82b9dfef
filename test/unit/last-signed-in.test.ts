import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearSession, markSignInNeeded, saveSession } from '../../src/store/session.ts';
import { freshDatabase, sessionInfo } from './helpers.ts';

/** localStorage as a page has it: the app's note of the role signed in lives there. */
const storage = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (key: string) => storage.get(key) ?? null,
  setItem: (key: string, value: string) => void storage.set(key, String(value)),
  removeItem: (key: string) => void storage.delete(key),
});
vi.stubGlobal(
  'BroadcastChannel',
  class {
    onmessage: unknown;
    postMessage(): void {}
    close(): void {}
  },
);

/** session-state.ts as a page starting now loads it: its store reads localStorage at once. */
async function startPage() {
  vi.resetModules();
  return import('../../src/app/shell/session-state.ts');
}

beforeEach(async () => {
  storage.clear();
  await freshDatabase();
});

describe('the role signed in last time, to ask for the survey’s position at start (issue 19)', () => {
  it('is kept after each read of the session: the role and nothing else of it', async () => {
    await saveSession(sessionInfo({ csrfToken: 'secret-du-jeton', mustChangePassword: false }));
    await (await startPage()).refreshSessionState();

    const { sessionState } = await startPage();
    expect(sessionState.get()).toEqual({ loaded: false, session: undefined, lastSignedIn: { role: 'agent', mustChangePassword: false } });
    const kept = [...storage.values()].join();
    for (const secretOrPersonal of ['secret-du-jeton', 'expiresAt', sessionInfo().user.id, sessionInfo().user.email, sessionInfo().user.name, '34261'])
      expect(kept).not.toContain(secretOrPersonal);
  });

  it('gives way to the session read from IndexedDB', async () => {
    await saveSession(sessionInfo());
    await (await startPage()).refreshSessionState();
    const { sessionState, refreshSessionState } = await startPage();

    await refreshSessionState();

    expect(sessionState.get()).toMatchObject({ loaded: true, session: { info: { csrfToken: 'csrf-token-1' } }, lastSignedIn: undefined });
  });

  it('is forgotten at sign-out, and follows another account signing in', async () => {
    await saveSession(sessionInfo());
    const first = await startPage();
    await first.refreshSessionState();
    await clearSession();
    await first.refreshSessionState();
    expect((await startPage()).sessionState.get().lastSignedIn).toBeUndefined();

    const reviewer = sessionInfo({ user: { ...sessionInfo().user, role: 'reviewer', communes: [], departement: '34' } });
    await saveSession(reviewer);
    await first.refreshSessionState();
    expect((await startPage()).sessionState.get().lastSignedIn?.role).toBe('reviewer');
  });

  it('stays when the session needs a new sign-in (the same person, asked by the banner)', async () => {
    await saveSession(sessionInfo());
    await markSignInNeeded('Session expirée');
    await (await startPage()).refreshSessionState();
    expect((await startPage()).sessionState.get().lastSignedIn?.role).toBe('agent');
  });

  it('is nothing when storage is unreadable or holds something else: the position waits for the permission', async () => {
    storage.set('couverture.last-signed-in', '{pas du JSON');
    expect((await startPage()).sessionState.get().lastSignedIn).toBeUndefined();
    storage.set('couverture.last-signed-in', JSON.stringify({ name: 'sans rôle' }));
    expect((await startPage()).sessionState.get().lastSignedIn).toBeUndefined();
  });
});
