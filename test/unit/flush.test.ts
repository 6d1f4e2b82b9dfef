import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { addReading, countByState, deleteReading, getReading, listReadings, type OutboxRecord } from '../../src/store/outbox.ts';
import { getSyncStatus } from '../../src/store/sync-status.ts';
import { flushOutbox } from '../../src/sync/flush.ts';
import type { SyncEvent } from '../../src/sync/protocol.ts';
import { FakeServer, json } from './fake-server.ts';
import { freshDatabase, makeReading, signIn } from './helpers.ts';

/** Collects what flush announces to the other tabs, synchronously. */
const announced: SyncEvent[] = [];
class RecordingChannel {
  constructor(readonly name: string) {}
  postMessage(event: SyncEvent): void {
    announced.push(event);
  }
  close(): void {}
}
vi.stubGlobal('BroadcastChannel', RecordingChannel);

let server: FakeServer;

beforeEach(async () => {
  await freshDatabase();
  await signIn();
  server = new FakeServer();
  announced.length = 0;
});

/** Stores `count` valid readings, saved one millisecond apart (oldest first). */
async function queue(count: number, make: (i: number) => Reading = () => makeReading()): Promise<Reading[]> {
  const readings: Reading[] = [];
  for (let i = 0; i < count; i++) {
    const reading = make(i);
    await addReading(reading, 1_000 + i);
    readings.push(reading);
  }
  return readings;
}

async function stateOf(id: string): Promise<OutboxRecord['state'] | undefined> {
  return (await getReading(id))?.state;
}

async function states(readings: Reading[]): Promise<(OutboxRecord['state'] | undefined)[]> {
  return Promise.all(readings.map((r) => stateOf(r.id)));
}

const flush = (batchSize?: number) => flushOutbox({ fetch: server.fetch, ...(batchSize !== undefined && { batchSize }) });

describe('flushOutbox', () => {
  it('sends every waiting reading and marks them sent when the server acknowledges them', async () => {
    const readings = await queue(3);
    const result = await flush();

    expect(result).toEqual({ sent: 3, refused: 0, pending: 0 });
    expect(await states(readings)).toEqual(['sent', 'sent', 'sent']);
    expect(await countByState()).toEqual({ pending: 0, sent: 3, refused: 0 });
    expect([...server.stored.keys()].sort()).toEqual(readings.map((r) => r.id).sort());
    // Oldest first, in one request.
    expect(server.requests.map((r) => r.ids)).toEqual([readings.map((r) => r.id)]);
    const status = await getSyncStatus();
    expect(status).toMatchObject({ consecutiveFailures: 0 });
    expect(status.lastSuccessAt).toEqual(expect.any(Number));
    expect(status.lastError).toBeUndefined();
    expect(announced[0]).toEqual({ type: 'flush-started' });
    expect(announced.at(-1)).toEqual({ type: 'flush-finished', result });
  });

  it('counts readings the server already held (duplicates) as sent', async () => {
    const readings = await queue(3);
    server.hold(readings[0]!);
    server.hold(readings[2]!);
    const result = await flush();
    expect(result).toEqual({ sent: 3, refused: 0, pending: 0 });
    expect(await states(readings)).toEqual(['sent', 'sent', 'sent']);
    expect(server.insertions.get(readings[0]!.id)).toBeUndefined();
    expect(server.insertions.get(readings[1]!.id)).toBe(1);
  });

  it('marks a reading the server rejects as refused, with its reasons, and sends the others', async () => {
    const bad = makeReading({ lat: 91 });
    const readings = await queue(3, (i) => (i === 1 ? bad : makeReading()));
    const result = await flush();

    expect(result).toEqual({ sent: 2, refused: 1, pending: 0 });
    expect(await states(readings)).toEqual(['sent', 'refused', 'sent']);
    const refused = await getReading(bad.id);
    expect(refused?.refusal).toMatchObject({ code: 'invalid', errors: [{ field: 'lat', message: 'La latitude doit être ≤ 90' }] });
    expect(server.stored.has(bad.id)).toBe(false);
    // A refusal is an answer, not a failure of the sync.
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 0 });
  });

  it('marks an id conflict as refused with code "conflict"', async () => {
    const readings = await queue(2);
    server.hold({ ...readings[1]!, setting: 'indoor' });
    const result = await flush();

    expect(result).toEqual({ sent: 1, refused: 1, pending: 0 });
    expect(await getReading(readings[1]!.id)).toMatchObject({
      state: 'refused',
      refusal: { code: 'conflict', errors: [{ field: 'id', message: expect.stringContaining('identifiant') }] },
    });
    expect(await stateOf(readings[0]!.id)).toBe('sent');
  });

  it('finds a rejected reading by its index when the server could not read its id', async () => {
    const readings = await queue(3);
    server.intercept = (_request, items) => {
      const answer = server.ingest(items);
      return json(200, {
        ...answer,
        accepted: answer.accepted.filter((id) => id !== readings[1]!.id),
        rejected: [{ id: null, index: 1, code: 'invalid', errors: [{ field: 'id', message: 'Identifiant illisible' }] }],
      });
    };
    const result = await flush();
    expect(result).toEqual({ sent: 2, refused: 1, pending: 0 });
    expect(await getReading(readings[1]!.id)).toMatchObject({ state: 'refused', refusal: { code: 'invalid' } });
  });

  it('keeps everything pending when the network is down, and records the failure', async () => {
    const readings = await queue(3);
    const offline: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const result = await flushOutbox({ fetch: offline });

    expect(result.sent).toBe(0);
    expect(result.pending).toBe(3);
    expect(result.error).toBe('Pas de réseau : le serveur est injoignable');
    expect(await states(readings)).toEqual(['pending', 'pending', 'pending']);
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 1, lastError: 'Pas de réseau : le serveur est injoignable' });

    await flushOutbox({ fetch: offline });
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 2 });
  });

  it('after a 500, a second flush sends everything, each reading stored once', async () => {
    const readings = await queue(4);
    server.intercept = () => (server.requests.length === 1 ? json(500, { error: 'Erreur interne' }) : undefined);

    const failed = await flush();
    expect(failed).toMatchObject({ sent: 0, pending: 4, error: expect.stringContaining('500') });
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringContaining('Erreur interne') });

    const recovered = await flush();
    expect(recovered).toEqual({ sent: 4, refused: 0, pending: 0 });
    expect(server.stored.size).toBe(4);
    for (const r of readings) expect(server.insertions.get(r.id)).toBe(1);
    const status = await getSyncStatus();
    expect(status.consecutiveFailures).toBe(0);
    expect(status.lastError).toBeUndefined();
  });

  it('when the server stored the batch but its answer was lost (500), the retry gets duplicates, not copies', async () => {
    const readings = await queue(4);
    server.intercept = (_request, items) => {
      if (server.requests.length > 1) return undefined;
      server.ingest(items);
      return json(500, { error: 'Délai de la base dépassé' });
    };
    expect((await flush()).pending).toBe(4);
    expect(await flush()).toEqual({ sent: 4, refused: 0, pending: 0 });
    for (const r of readings) expect(server.insertions.get(r.id)).toBe(1);
    expect(await states(readings)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it.each([503, 429, 403, 404, 408])('keeps everything pending on %i', async (status) => {
    const readings = await queue(3);
    server.intercept = () => json(status, { error: 'Pas maintenant' });
    const result = await flush();

    expect(result).toMatchObject({ sent: 0, refused: 0, pending: 3, error: expect.stringContaining(String(status)) });
    expect(await states(readings)).toEqual(['pending', 'pending', 'pending']);
    expect(server.stored.size).toBe(0);
    // One request, not a split: the whole batch waits.
    expect(server.requests).toHaveLength(1);
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringContaining('Pas maintenant') });
  });

  it('passes on the wait a busy server asks for (503 with Retry-After), for the next try', async () => {
    await queue(2);
    server.intercept = () =>
      new Response(JSON.stringify({ error: 'Serveur occupé' }), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '5' } });
    const result = await flush();

    expect(result).toMatchObject({ sent: 0, pending: 2, retryAfterMs: 5_000, error: expect.stringContaining('Serveur occupé') });
    server.intercept = () => json(503, { error: 'Maintenance' });
    expect((await flush()).retryAfterMs).toBeUndefined();
  });

  it.each([400, 413])('when the server refuses the whole batch (%i) because of one reading, refuses that one alone and sends the others', async (status) => {
    const readings = await queue(5);
    const poison = readings[2]!;
    const message = status === 413 ? 'Relevé trop volumineux' : 'Requête refusée par le pare-feu';
    server.intercept = (request) => (request.ids.includes(poison.id) ? json(status, { error: message }) : undefined);

    const result = await flush();

    expect(result).toEqual({ sent: 4, refused: 1, pending: 0 });
    expect(await states(readings)).toEqual(['sent', 'sent', 'refused', 'sent', 'sent']);
    const refused = await getReading(poison.id);
    expect(refused?.refusal?.code).toBe('invalid');
    expect(refused?.refusal?.errors).toEqual([{ field: '', message: expect.stringContaining(message) }]);
    expect(refused?.refusal?.errors[0]?.message).toContain(String(status));
    expect([...server.stored.keys()].sort()).toEqual(
      readings
        .filter((r) => r !== poison)
        .map((r) => r.id)
        .sort(),
    );
    // The poison reading was eventually sent on its own.
    expect(server.requests.some((r) => r.ids.length === 1 && r.ids[0] === poison.id)).toBe(true);
    // Each of the others reached the server once, in an accepted request.
    for (const r of readings) if (r !== poison) expect(server.insertions.get(r.id)).toBe(1);
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 0 });
  });

  it('isolates two poison readings in one batch', async () => {
    const readings = await queue(7);
    const poisons = new Set([readings[0]!.id, readings[5]!.id]);
    server.intercept = (request) => (request.ids.some((id) => poisons.has(id)) ? json(400, { error: 'Non' }) : undefined);
    expect(await flush()).toEqual({ sent: 5, refused: 2, pending: 0 });
    expect((await states(readings)).map((s, i) => [i, s]).filter(([, s]) => s === 'refused')).toEqual([
      [0, 'refused'],
      [5, 'refused'],
    ]);
  });

  it('stops splitting when the server becomes unavailable, keeping what it did learn', async () => {
    const readings = await queue(4);
    const poison = readings[0]!;
    let unavailableAnswers = 0;
    // The first three requests isolate the poison reading; then the server goes down.
    server.intercept = (request) => {
      if (server.requests.length > 3) {
        unavailableAnswers += 1;
        return json(503, { error: 'Maintenance' });
      }
      return request.ids.includes(poison.id) ? json(400, { error: 'Non' }) : undefined;
    };
    const result = await flush();

    expect(result).toMatchObject({ sent: 0, refused: 1, pending: 3, error: expect.stringContaining('Maintenance') });
    // What the server judged is kept; what it did not judge stays pending, none wrongly refused.
    expect(await states(readings)).toEqual(['refused', 'pending', 'pending', 'pending']);
    // No further request once the server said it was unavailable.
    expect(unavailableAnswers).toBe(1);
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 1 });
  });

  it('when the server acknowledges only part of a batch, keeps the rest pending and stops with an error', async () => {
    const readings = await queue(5);
    const forgotten = readings[3]!;
    // The server stores it but never says so, neither as accepted nor, on a retry, as a duplicate.
    const omit = (ids: string[]) => ids.filter((id) => id !== forgotten.id);
    server.rewrite = (answer) => ({ ...answer, accepted: omit(answer.accepted), duplicates: omit(answer.duplicates) });

    const result = await flush();

    expect(result.sent).toBe(4);
    expect(result.pending).toBe(1);
    expect(result.error).toEqual(expect.any(String));
    expect(await stateOf(forgotten.id)).toBe('pending');
    expect(await states(readings.filter((r) => r !== forgotten))).toEqual(['sent', 'sent', 'sent', 'sent']);
    // It gave up instead of looping: at most the first request and one retry of the rest.
    expect(server.requests.length).toBeLessThanOrEqual(2);
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 1, lastError: result.error });
  });

  it('ignores acknowledgements of ids it did not send', async () => {
    const readings = await queue(2);
    const stranger = crypto.randomUUID();
    await addReading(makeReading({ id: stranger }), 5_000);
    server.rewrite = (answer) => (server.requests.length === 1 ? { ...answer, accepted: [...answer.accepted, stranger] } : answer);
    // batch of 2: the third reading is not in the first request, its "acknowledgement" must not count.
    const result = await flush(2);
    expect(server.requests[0]!.ids).toEqual(readings.map((r) => r.id));
    expect(result).toEqual({ sent: 3, refused: 0, pending: 0 });
    expect(server.insertions.get(stranger)).toBe(1);
  });

  it('sends in batches of at most batchSize, oldest first', async () => {
    const readings = await queue(1_200);
    const result = await flush(500);

    expect(result).toEqual({ sent: 1_200, refused: 0, pending: 0 });
    expect(server.requests.map((r) => r.ids.length)).toEqual([500, 500, 200]);
    expect(server.postedIds).toEqual(readings.map((r) => r.id));
    expect(server.stored.size).toBe(1_200);
    expect(await countByState()).toEqual({ pending: 0, sent: 1_200, refused: 0 });
  });

  it('uses batches of 500 by default', async () => {
    await queue(501);
    await flushOutbox({ fetch: server.fetch });
    expect(server.requests.map((r) => r.ids.length)).toEqual([500, 1]);
  });

  it.each([
    ['not JSON', () => new Response('<html>Portail captif</html>', { status: 200, headers: { 'content-type': 'text/html' } })],
    ['JSON of the wrong shape', () => json(200, { ok: true })],
    ['an empty body', () => new Response(null, { status: 200 })],
  ])('keeps everything pending when a 200 body is %s', async (_label, answer) => {
    const readings = await queue(2);
    server.intercept = () => answer();
    const result = await flush();
    expect(result).toMatchObject({ sent: 0, refused: 0, pending: 2, error: 'Réponse du serveur illisible' });
    expect(await states(readings)).toEqual(['pending', 'pending']);
  });

  it('posts each reading exactly once when two flushes run at the same time', async () => {
    const readings = await queue(7);
    const [first, second] = await Promise.all([flush(3), flush(3)]);

    const posted = server.postedIds;
    expect(posted).toHaveLength(7);
    expect(new Set(posted)).toEqual(new Set(readings.map((r) => r.id)));
    expect(first.sent + second.sent).toBe(7);
    expect(second.pending).toBe(0);
    for (const r of readings) expect(server.insertions.get(r.id)).toBe(1);
  });

  it('makes no request at all when nothing waits, and leaves the sync status alone', async () => {
    const fetchSpy = vi.fn(server.fetch);
    const result = await flushOutbox({ fetch: fetchSpy });
    expect(result).toEqual({ sent: 0, refused: 0, pending: 0 });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await getSyncStatus()).toEqual({ consecutiveFailures: 0 });
    expect(announced).toEqual([]);
  });

  it('makes no request when every reading is already sent or refused', async () => {
    await queue(2);
    await flush();
    const before = server.requests.length;
    await queue(1, () => makeReading({ lat: 95 }));
    await flush();
    const after = server.requests.length;
    expect(await flush()).toEqual({ sent: 0, refused: 0, pending: 0 });
    expect(server.requests.length).toBe(after);
    expect(after).toBe(before + 1);
  });

  it('does not bring back a reading the agent deleted while its batch was in flight', async () => {
    const readings = await queue(3);
    const deleted = readings[1]!;
    server.intercept = async () => {
      await deleteReading(deleted.id);
      return undefined;
    };
    const result = await flush();

    expect(result.pending).toBe(0);
    expect(await getReading(deleted.id)).toBeUndefined();
    expect((await listReadings()).map((r) => r.id).sort()).toEqual([readings[0]!.id, readings[2]!.id].sort());
    expect(await countByState()).toEqual({ pending: 0, sent: 2, refused: 0 });
  });

  it('does not bring back a reading deleted while a refused batch was being split', async () => {
    const readings = await queue(4);
    const poison = readings[3]!;
    server.intercept = async (request) => {
      if (!request.ids.includes(poison.id)) return undefined;
      await deleteReading(poison.id);
      return json(400, { error: 'Non' });
    };
    await flush();
    expect(await getReading(poison.id)).toBeUndefined();
    expect(await countByState()).toEqual({ pending: 0, sent: 3, refused: 0 });
  });

  it('announces progress after each batch, with the ids of the readings it changed', async () => {
    const ids = (await queue(5)).map((reading) => reading.id);
    await flush(2);
    expect(announced.filter((e) => e.type === 'flush-progress')).toEqual([
      { type: 'flush-progress', sent: 2, refused: 0, ids: ids.slice(0, 2) },
      { type: 'flush-progress', sent: 4, refused: 0, ids: ids.slice(2, 4) },
      { type: 'flush-progress', sent: 5, refused: 0, ids: ids.slice(4) },
    ]);
  });

  it('posts JSON to the API under baseUrl', async () => {
    const [reading] = await queue(1);
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const spy: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), init });
      return json(200, { accepted: [reading!.id], duplicates: [], rejected: [] });
    };
    await flushOutbox({ fetch: spy, baseUrl: 'https://couverture.example' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('https://couverture.example/api/v1/readings');
    expect(seen[0]!.init?.method).toBe('POST');
    expect(seen[0]!.init?.credentials).toBe('same-origin');
    expect(new Headers(seen[0]!.init?.headers).get('x-csrf-token')).toBe('csrf-token-1');
    expect(JSON.parse(String(seen[0]!.init?.body))).toEqual({ readings: [reading] });
  });
});
