import { describe, expect, it } from 'vitest';
import { fetchGivingUpAfter, shorterUploadTimeout, UPLOAD_TIMEOUT_MS, uploadBatch, uploadReports } from '../../src/sync/upload.ts';
import { json } from './fake-server.ts';
import { makeReading, makeReport } from './helpers.ts';

const answering =
  (response: () => Response | Promise<Response>): typeof fetch =>
  async () =>
    response();
const rejecting =
  (error: unknown): typeof fetch =>
  async () => {
    throw error;
  };

describe('uploadBatch', () => {
  it('posts the readings as JSON, uncached, with a timeout', async () => {
    const readings = [makeReading(), makeReading()];
    let seen: { url: string; init: RequestInit | undefined } | undefined;
    const spy: typeof fetch = async (input, init) => {
      seen = { url: String(input), init };
      return json(200, { accepted: readings.map((r) => r.id), duplicates: [], rejected: [] });
    };
    const outcome = await uploadBatch(readings, spy, 'https://example.test');

    expect(outcome).toEqual({ kind: 'answered', response: { accepted: readings.map((r) => r.id), duplicates: [], rejected: [] } });
    expect(seen?.url).toBe('https://example.test/api/v1/readings');
    expect(seen?.init).toMatchObject({ method: 'POST', cache: 'no-store', credentials: 'same-origin' });
    expect(new Headers(seen?.init?.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(seen?.init?.body))).toEqual({ readings });
    expect(seen?.init?.signal).toBeInstanceOf(AbortSignal);
    expect(seen?.init?.signal?.aborted).toBe(false);
    expect(UPLOAD_TIMEOUT_MS).toBeGreaterThan(0);
  });

  it('reports a timeout as unavailable, in French', async () => {
    const outcome = await uploadBatch([makeReading()], rejecting(new DOMException('The operation timed out.', 'TimeoutError')));
    expect(outcome).toEqual({ kind: 'unavailable', message: 'Le serveur ne répond pas (délai dépassé)' });
  });

  it.each([
    ['a network error', new TypeError('fetch failed')],
    ['an abort', new DOMException('aborted', 'AbortError')],
    ['anything else thrown', new Error('boom')],
  ])('reports %s as no network', async (_label, error) => {
    expect(await uploadBatch([makeReading()], rejecting(error))).toEqual({
      kind: 'unavailable',
      message: 'Pas de réseau : le serveur est injoignable',
    });
  });

  it.each([500, 502, 503, 504, 403, 404, 408, 425, 429])('treats %i as "try again later"', async (status) => {
    const outcome = await uploadBatch(
      [makeReading()],
      answering(() => json(status, { error: 'Détail du serveur' })),
    );
    expect(outcome).toEqual({ kind: 'unavailable', message: `Le serveur est indisponible (${status} : Détail du serveur)` });
  });

  it('sends the CSRF token when given one, and none otherwise', async () => {
    const headers: (string | null)[] = [];
    const spy: typeof fetch = async (_input, init) => {
      headers.push(new Headers(init?.headers).get('x-csrf-token'));
      return json(200, { accepted: [], duplicates: [], rejected: [] });
    };
    await uploadBatch([makeReading()], spy, '', 'jeton');
    await uploadBatch([makeReading()], spy);
    expect(headers).toEqual(['jeton', null]);
  });

  it('treats 401 as "sign in again", not as a refusal nor a fault to retry', async () => {
    const outcome = await uploadBatch(
      [makeReading()],
      answering(() => json(401, { error: 'Session expirée' })),
    );
    expect(outcome).toEqual({ kind: 'auth-required', reason: 'unauthenticated', message: '401 : Session expirée' });
  });

  it('treats a 403 about the CSRF token as "sign in again", another 403 as "try later"', async () => {
    const csrf = await uploadBatch(
      [makeReading()],
      answering(() => json(403, { error: 'Jeton anti-CSRF manquant ou périmé : rechargez la page', code: 'csrf-token' })),
    );
    expect(csrf).toMatchObject({ kind: 'auth-required', reason: 'csrf' });
    const other = await uploadBatch(
      [makeReading()],
      answering(() => json(403, { error: 'Compte désactivé' })),
    );
    expect(other).toMatchObject({ kind: 'unavailable' });
  });

  it('posts reports to the public endpoint without any credentials', async () => {
    let seen: { url: string; init: RequestInit | undefined } | undefined;
    const report = makeReport();
    const spy: typeof fetch = async (input, init) => {
      seen = { url: String(input), init };
      return json(200, { accepted: [report.id], duplicates: [], rejected: [] });
    };
    expect(await uploadReports([report], spy)).toMatchObject({ kind: 'answered' });
    expect(seen?.url).toBe('/api/v1/reports');
    expect(seen?.init).toMatchObject({ method: 'POST', credentials: 'omit', cache: 'no-store' });
    expect(new Headers(seen?.init?.headers).get('x-csrf-token')).toBeNull();
    expect(JSON.parse(String(seen?.init?.body))).toEqual({ reports: [report] });
  });

  it.each([400, 409, 413, 422])('treats %i as a refusal of the batch as a whole', async (status) => {
    const outcome = await uploadBatch(
      [makeReading()],
      answering(() => json(status, { error: 'Trop de relevés' })),
    );
    expect(outcome).toEqual({ kind: 'batch-refused', message: `${status} : Trop de relevés` });
  });

  it('falls back on the status text, then on the bare status, when the body says nothing', async () => {
    const withText = await uploadBatch(
      [makeReading()],
      answering(() => new Response('<html/>', { status: 413, statusText: 'Payload Too Large' })),
    );
    expect(withText).toEqual({ kind: 'batch-refused', message: '413 : Payload Too Large' });
    const bare = await uploadBatch(
      [makeReading()],
      answering(() => new Response(null, { status: 400 })),
    );
    expect(bare).toEqual({ kind: 'batch-refused', message: 'erreur 400' });
    const unavailable = await uploadBatch(
      [makeReading()],
      answering(() => json(503, { error: 42 })),
    );
    expect(unavailable).toEqual({ kind: 'unavailable', message: 'Le serveur est indisponible (erreur 503)' });
  });

  it.each([
    ['not JSON', () => new Response('<html>Wi-Fi de la mairie</html>', { status: 200 })],
    ['missing lists', () => json(200, { accepted: [] })],
    ['a rejected item without errors', () => json(200, { accepted: [], duplicates: [], rejected: [{ id: 'x', index: 0 }] })],
    ['an unknown rejection code', () => json(200, { accepted: [], duplicates: [], rejected: [{ id: 'x', index: 0, code: 'nope', errors: [] }] })],
    ['null', () => json(200, null)],
  ])('treats a 200 whose body is %s as unreadable, hence unavailable', async (_label, answer) => {
    expect(await uploadBatch([makeReading()], answering(answer))).toEqual({ kind: 'unavailable', message: 'Réponse du serveur illisible' });
  });

  it('passes the rejections through, with their codes and indices', async () => {
    const response = {
      accepted: ['a'],
      duplicates: ['b'],
      rejected: [
        { id: null, index: 2, code: 'invalid', errors: [{ field: 'lat', message: 'La latitude doit être ≤ 90' }] },
        { id: 'd', index: 3, errors: [] },
      ],
    };
    expect(
      await uploadBatch(
        [makeReading()],
        answering(() => json(200, response)),
      ),
    ).toEqual({ kind: 'answered', response });
  });
});

describe('a shorter upload timeout (fault tests only)', () => {
  it('is taken only when it is a whole number of milliseconds below UPLOAD_TIMEOUT_MS', () => {
    expect(shorterUploadTimeout(1000)).toBe(1000);
    for (const requested of [UPLOAD_TIMEOUT_MS, 60_000, 0, -5, 1.5, '1000', undefined, null]) {
      expect(shorterUploadTimeout(requested), String(requested)).toBeUndefined();
    }
  });

  it('gives up on a request that never settles, as the default timeout does', async () => {
    const never: typeof fetch = (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const giving = fetchGivingUpAfter(50, never);
    await expect(giving('https://example.test/')).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await uploadBatch([makeReading()], fetchGivingUpAfter(50, never), 'https://example.test')).toEqual({
      kind: 'unavailable',
      message: 'Le serveur ne répond pas (délai dépassé)',
    });
  });
});
