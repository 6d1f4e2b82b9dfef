import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addReading, countByState } from '../../src/store/outbox.ts';
import { clearSession, getSession, isUsable, markSignInNeeded, saveSession } from '../../src/store/session.ts';
import { SESSION_ENDPOINT, type SyncEvent } from '../../src/sync/protocol.ts';
import { checkSession } from '../../src/sync/session.ts';
import { json } from './fake-server.ts';
import { freshDatabase, makeReading, sessionInfo } from './helpers.ts';

const announced: SyncEvent[] = [];
vi.stubGlobal(
  'BroadcastChannel',
  class {
    postMessage(event: SyncEvent): void {
      announced.push(event);
    }
    close(): void {}
  },
);

beforeEach(async () => {
  await freshDatabase();
  announced.length = 0;
});

describe('session store', () => {
  it('keeps the session the server gave, for offline starts and the service worker', async () => {
    expect(await getSession()).toBeUndefined();
    const info = sessionInfo();
    await saveSession(info, 1_000);
    expect(await getSession()).toEqual({ info, confirmedAt: 1_000 });
    expect(isUsable(await getSession())).toBe(true);
  });

  it('marks sign-in needed without forgetting who it was, and a new sign-in clears the mark', async () => {
    await saveSession(sessionInfo(), 1);
    await markSignInNeeded('expirée', 5);
    await markSignInNeeded('encore', 9);
    const marked = await getSession();
    expect(marked?.signInNeeded).toEqual({ since: 5, reason: 'expirée' });
    expect(marked?.info.user.email).toBe('agent@saint-guilhem.fr');
    expect(isUsable(marked)).toBe(false);
    await saveSession(sessionInfo({ csrfToken: 'x' }), 10);
    expect(await getSession()).toEqual({ info: sessionInfo({ csrfToken: 'x' }), confirmedAt: 10 });
  });

  it('marking with nobody signed in stores nothing', async () => {
    expect(await markSignInNeeded('x')).toBeUndefined();
    expect(await getSession()).toBeUndefined();
  });

  it('sign-out forgets the person, never the readings', async () => {
    await saveSession(sessionInfo());
    await addReading(makeReading(), 1, 'user-agent-1');
    await clearSession();
    expect(await getSession()).toBeUndefined();
    expect(await countByState()).toEqual({ pending: 1, sent: 0, refused: 0 });
  });
});

describe('checkSession (GET /api/v1/session at start)', () => {
  it('stores the fresh CSRF token and clears a sign-in mark', async () => {
    await saveSession(sessionInfo());
    await markSignInNeeded('x');
    const seen: RequestInit[] = [];
    const result = await checkSession(async (input, init) => {
      expect(String(input)).toBe(SESSION_ENDPOINT);
      seen.push(init!);
      return json(200, sessionInfo({ csrfToken: 'frais' }));
    });
    expect(result.kind).toBe('valid');
    expect(seen[0]).toMatchObject({ method: 'GET', credentials: 'same-origin', cache: 'no-store' });
    expect(await getSession()).toMatchObject({ info: { csrfToken: 'frais' } });
    expect(isUsable(await getSession())).toBe(true);
    expect(announced).toContainEqual({ type: 'session-changed' });
  });

  it('on 401 marks the session expired and keeps every waiting reading', async () => {
    await saveSession(sessionInfo());
    await addReading(makeReading(), 1, 'user-agent-1');
    await addReading(makeReading(), 2, 'user-agent-1');
    expect(await checkSession(async () => json(401, { error: 'Session expirée' }))).toEqual({ kind: 'expired' });
    expect((await getSession())?.signInNeeded).toBeDefined();
    expect(await countByState()).toEqual({ pending: 2, sent: 0, refused: 0 });
  });

  it.each([
    ['offline', async () => Promise.reject(new TypeError('fetch failed'))],
    ['a 502', async () => json(502, { error: 'Bad gateway' })],
    ['a captive portal page', async () => new Response('<html>Wi-Fi</html>', { status: 200 })],
  ])('changes nothing when %s', async (_label, answer) => {
    await saveSession(sessionInfo(), 7);
    expect(await checkSession(answer as typeof fetch)).toEqual({ kind: 'unknown' });
    expect(await getSession()).toEqual({ info: sessionInfo(), confirmedAt: 7 });
  });
});
