import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearSession, markSignInNeeded, saveSession } from '../../src/store/session.ts';
import { freshDatabase, sessionInfo } from './helpers.ts';

/** localStorage as a page has it: the app's own copy of who was signed in lives there. */
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

describe('who was signed in last time, for the first screen while IndexedDB opens (issue 19)', () => {
  it('is kept after each read of the session, without the CSRF token or the expiry', async () => {
    await saveSession(sessionInfo({ csrfToken: 'secret-du-jeton', mustChangePassword: false }));
    await (await startPage()).refreshSessionState();

    const { sessionState } = await startPage();
    expect(sessionState.get()).toEqual({ loaded: false, session: undefined, lastSignedIn: { user: sessionInfo().user, mustChangePassword: false } });
    expect([...storage.values()].join()).not.toContain('secret-du-jeton');
    expect([...storage.values()].join()).not.toContain('expiresAt');
  });

  it('gives way to the session read from IndexedDB, which alone the screens save with', async () => {
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

    const other = sessionInfo({}, '7a1b2c3d-0000-4000-8000-000000000099');
    await saveSession(other);
    await first.refreshSessionState();
    expect((await startPage()).sessionState.get().lastSignedIn?.user.id).toBe(other.user.id);
  });

  it('stays the same person when the session needs a new sign-in (the banner asks for it)', async () => {
    await saveSession(sessionInfo());
    await markSignInNeeded('Session expirée');
    await (await startPage()).refreshSessionState();
    expect((await startPage()).sessionState.get().lastSignedIn?.user.id).toBe(sessionInfo().user.id);
  });

  it('is nothing when storage is unreadable or holds something else: the first screen waits for IndexedDB', async () => {
    storage.set('couverture.last-signed-in', '{pas du JSON');
    expect((await startPage()).sessionState.get().lastSignedIn).toBeUndefined();
    storage.set('couverture.last-signed-in', JSON.stringify({ user: { name: 'sans id' } }));
    expect((await startPage()).sessionState.get().lastSignedIn).toBeUndefined();
  });
});
