import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signIn, signOut } from '../../src/app/account/sign-in.ts';
import { sessionState } from '../../src/app/shell/session-state.ts';
import { addReading, countByState } from '../../src/store/outbox.ts';
import { getSession, markSignInNeeded } from '../../src/store/session.ts';
import type { SyncEvent } from '../../src/sync/protocol.ts';
import { json } from './fake-server.ts';
import { freshDatabase, makeReading, sessionInfo } from './helpers.ts';

const announced: SyncEvent[] = [];
vi.stubGlobal(
  'BroadcastChannel',
  class {
    onmessage: unknown;
    postMessage(event: SyncEvent): void {
      announced.push(event);
    }
    close(): void {}
  },
);

let answer: () => Response | Promise<Response>;
const calls: { url: string; init: RequestInit | undefined }[] = [];
vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
  calls.push({ url: String(input), init });
  return answer();
});

beforeEach(async () => {
  await freshDatabase();
  sessionState.set({ loaded: false, session: undefined });
  announced.length = 0;
  calls.length = 0;
});

describe('signIn (the « Connexion » form)', () => {
  it('stores the session for offline use, clears an expiry mark, and tells every page', async () => {
    answer = () => json(200, sessionInfo({ csrfToken: 'neuf' }));
    expect(await signIn(' agent@saint-guilhem.fr ', 'mot de passe long')).toEqual({ ok: true });
    expect(calls[0]).toMatchObject({ url: '/api/v1/session', init: { method: 'POST', credentials: 'same-origin' } });
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ email: 'agent@saint-guilhem.fr', password: 'mot de passe long' });
    expect(await getSession()).toMatchObject({ info: { csrfToken: 'neuf' } });
    expect(sessionState.get()).toMatchObject({ loaded: true, session: { info: { csrfToken: 'neuf' } } });
    expect(announced).toContainEqual({ type: 'session-changed' });

    await markSignInNeeded('expirée');
    answer = () => json(200, sessionInfo({ csrfToken: 'encore' }));
    await signIn('agent@saint-guilhem.fr', 'mot de passe long');
    expect((await getSession())?.signInNeeded).toBeUndefined();
  });

  it.each([
    ['bad credentials', () => json(401, { error: 'Adresse e-mail ou mot de passe incorrect' }), 'Adresse e-mail ou mot de passe incorrect'],
    [
      'too many attempts (429, Retry-After in seconds)',
      () => new Response('{}', { status: 429, headers: { 'retry-after': '30' } }),
      'Trop de tentatives de connexion : réessayez dans 30 s.',
    ],
    [
      'too many attempts (429, minutes)',
      () => new Response('{}', { status: 429, headers: { 'retry-after': '600' } }),
      'Trop de tentatives de connexion : réessayez dans 10 min.',
    ],
    ['too many attempts (429, no Retry-After)', () => new Response('{}', { status: 429 }), 'Trop de tentatives de connexion : réessayez plus tard.'],
    ['a server fault', () => json(503, { error: 'x' }), 'Le serveur est indisponible : réessayez dans un moment.'],
    [
      'no network',
      () => Promise.reject(new TypeError('fetch failed')),
      'Pas de réseau : la connexion a besoin du réseau. Vos relevés restent enregistrés sur l’appareil.',
    ],
  ])('says in French what went wrong on %s, and stores nothing', async (_label, response, message) => {
    answer = response;
    expect(await signIn('agent@saint-guilhem.fr', 'mot de passe long')).toEqual({ ok: false, message });
    expect(await getSession()).toBeUndefined();
  });

  it('asks for both fields before calling the server', async () => {
    expect(await signIn('', '')).toEqual({ ok: false, message: 'Indiquez votre adresse e-mail et votre mot de passe.' });
    expect(calls).toEqual([]);
  });
});

describe('signOut', () => {
  it('ends the session on the server with its CSRF token, forgets it here, keeps the readings', async () => {
    answer = () => json(200, sessionInfo({ csrfToken: 'jeton' }));
    await signIn('agent@saint-guilhem.fr', 'mot de passe long');
    await addReading(makeReading(), 1, 'user-agent-1');
    answer = () => new Response(null, { status: 204 });
    await signOut();
    expect(calls.at(-1)?.init).toMatchObject({ method: 'DELETE', headers: { 'x-csrf-token': 'jeton' } });
    expect(await getSession()).toBeUndefined();
    expect(sessionState.get().session).toBeUndefined();
    expect(await countByState()).toEqual({ pending: 1, sent: 0, refused: 0 });
  });

  it('signs out on the device even offline', async () => {
    answer = () => json(200, sessionInfo());
    await signIn('agent@saint-guilhem.fr', 'mot de passe long');
    answer = () => Promise.reject(new TypeError('fetch failed'));
    await signOut();
    expect(await getSession()).toBeUndefined();
  });
});
