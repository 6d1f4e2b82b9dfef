import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { addReading, countByState, getReading } from '../../src/store/outbox.ts';
import { clearSession, getSession, isUsable, saveSession } from '../../src/store/session.ts';
import { getSyncStatus } from '../../src/store/sync-status.ts';
import { flushOutbox } from '../../src/sync/flush.ts';
import { MAX_BATCH, SESSION_ENDPOINT, SIGN_IN_NEEDED_MESSAGE, type SyncEvent } from '../../src/sync/protocol.ts';
import { FakeServer, json } from './fake-server.ts';
import { AGENT_ID, freshDatabase, makeReading, sessionInfo, signIn } from './helpers.ts';

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
  server = new FakeServer();
  announced.length = 0;
});

/** `recordedBy` null: a reading recorded before accounts existed. */
async function queue(count: number, recordedBy: string | null = AGENT_ID): Promise<Reading[]> {
  const readings: Reading[] = [];
  for (let i = 0; i < count; i++) {
    const reading = makeReading();
    await addReading(reading, 1_000 + i, recordedBy ?? undefined);
    readings.push(reading);
  }
  return readings;
}

const flush = () => flushOutbox({ fetch: server.fetch });
const readingPosts = () => server.requestsTo('/api/v1/readings');

describe('flushOutbox with accounts', () => {
  it('sends the session’s CSRF token, with same-origin credentials, on every batch', async () => {
    await signIn({ csrfToken: 'jeton-de-la-session' });
    server.csrfToken = 'jeton-de-la-session';
    await queue(3);
    expect(await flushOutbox({ fetch: server.fetch, batchSize: 2 })).toEqual({ sent: 3, refused: 0, pending: 0 });
    expect(readingPosts().map((r) => [r.csrf, r.credentials])).toEqual([
      ['jeton-de-la-session', 'same-origin'],
      ['jeton-de-la-session', 'same-origin'],
    ]);
  });

  it('on 401, leaves every reading waiting, records that sign-in is needed, and tells every page', async () => {
    await signIn();
    const readings = await queue(3);
    server.sessionValid = false;

    const result = await flush();

    expect(result).toEqual({ sent: 0, refused: 0, pending: 3, error: SIGN_IN_NEEDED_MESSAGE, authRequired: true });
    expect(await countByState()).toEqual({ pending: 3, sent: 0, refused: 0 });
    for (const r of readings) expect((await getReading(r.id))?.state).toBe('pending');
    const session = await getSession();
    expect(session?.signInNeeded).toMatchObject({ reason: SIGN_IN_NEEDED_MESSAGE });
    // Who it was is kept: the page offers to sign in again as that person.
    expect(session?.info.user.id).toBe(AGENT_ID);
    expect(announced).toContainEqual({ type: 'session-changed' });
    expect(await getSyncStatus()).toMatchObject({ lastError: SIGN_IN_NEEDED_MESSAGE });
    // One request, not a split of the batch.
    expect(readingPosts()).toHaveLength(1);
  });

  it('after a 401, makes no request for readings until someone signs in again, then sends them all once', async () => {
    await signIn();
    const readings = await queue(4);
    server.sessionValid = false;
    await flush();
    const requestsAfterRefusal = server.requests.length;

    // Retries (backoff, `online`, Background Sync) find the flag and do not hammer the server.
    for (let i = 0; i < 3; i++) expect(await flush()).toMatchObject({ sent: 0, pending: 4, authRequired: true });
    expect(server.requests.length).toBe(requestsAfterRefusal);

    server.sessionValid = true;
    server.csrfToken = 'csrf-token-2';
    await saveSession(sessionInfo({ csrfToken: 'csrf-token-2' }));
    expect(isUsable(await getSession())).toBe(true);
    expect(await flush()).toEqual({ sent: 4, refused: 0, pending: 0 });
    expect(server.stored.size).toBe(4);
    for (const r of readings) expect(server.insertions.get(r.id)).toBe(1);
    expect(readingPosts().at(-1)?.csrf).toBe('csrf-token-2');
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 0 });
  });

  it('with nobody signed in, sends no reading and says sign-in is needed', async () => {
    await queue(2, null);
    const fetchSpy = vi.fn(server.fetch);
    const result = await flushOutbox({ fetch: fetchSpy });
    expect(result).toMatchObject({ sent: 0, pending: 2, authRequired: true });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('after a sign-out, readings wait; they are not deleted', async () => {
    await signIn();
    await queue(2);
    await clearSession();
    expect(await flush()).toMatchObject({ pending: 2, authRequired: true });
    expect(await countByState()).toEqual({ pending: 2, sent: 0, refused: 0 });
  });

  it('on a refused CSRF token, fetches the session’s current one and retries once', async () => {
    await signIn({ csrfToken: 'ancien-jeton' });
    server.csrfToken = 'nouveau-jeton';
    const readings = await queue(2);

    expect(await flush()).toEqual({ sent: 2, refused: 0, pending: 0 });
    expect(readingPosts().map((r) => r.csrf)).toEqual(['ancien-jeton', 'nouveau-jeton']);
    expect(server.requestsTo(SESSION_ENDPOINT)).toHaveLength(1);
    expect((await getSession())?.info.csrfToken).toBe('nouveau-jeton');
    for (const r of readings) expect(server.insertions.get(r.id)).toBe(1);
  });

  it('on a refused CSRF token and an expired session, waits for sign-in', async () => {
    await signIn({ csrfToken: 'ancien-jeton' });
    server.csrfToken = 'nouveau-jeton';
    server.intercept = undefined;
    await queue(2);
    // The session check says 401: the cookie is gone too.
    const fetchFn: typeof fetch = async (input, init) => {
      if (String(input) === SESSION_ENDPOINT) return json(401, { error: 'Session expirée' });
      return server.fetch(input, init);
    };
    const result = await flushOutbox({ fetch: fetchFn });
    expect(result).toMatchObject({ sent: 0, pending: 2, authRequired: true });
    expect((await getSession())?.signInNeeded).toBeDefined();
  });

  it('when the CSRF token is refused even after a refresh, stops and waits for sign-in instead of looping', async () => {
    await signIn();
    await queue(2);
    server.intercept = (request) =>
      request.url === '/api/v1/readings' ? json(403, { error: 'Jeton anti-CSRF manquant ou périmé', code: 'csrf-token' }) : undefined;
    const result = await flush();
    expect(result).toMatchObject({ sent: 0, pending: 2, authRequired: true });
    expect(readingPosts()).toHaveLength(2);
  });

  it('keeps the readings already acknowledged when the session expires between two batches', async () => {
    await signIn();
    const readings = await queue(5);
    // The first batch is stored; the session is revoked right after it.
    server.intercept = () => {
      if (readingPosts().length === 1) server.sessionValid = false;
      return undefined;
    };
    const result = await flushOutbox({ fetch: server.fetch, batchSize: 2 });
    expect(result).toMatchObject({ sent: 2, pending: 3, authRequired: true });
    expect(server.stored.size).toBe(2);
    expect((await getReading(readings[0]!.id))?.state).toBe('sent');
    expect((await getReading(readings[4]!.id))?.state).toBe('pending');
  });

  it('sends only the readings recorded under the signed-in account (and those older than accounts)', async () => {
    await signIn({}, 'agent-b');
    const [legacy] = await queue(1, null);
    const [mine] = await queue(1, 'agent-b');
    const [theirs] = await queue(1, 'agent-a');

    const result = await flush();

    expect(result).toEqual({ sent: 2, refused: 0, pending: 1 });
    expect(server.postedIds.sort()).toEqual([legacy!.id, mine!.id].sort());
    expect((await getReading(theirs!.id))?.state).toBe('pending');

    // Agent A signs in on the same phone: theirs goes, under their name.
    await signIn({}, 'agent-a');
    expect(await flush()).toEqual({ sent: 1, refused: 0, pending: 0 });
    expect(server.postedIds.at(-1)).toBe(theirs!.id);
  });

  it('never posts more than 500 readings in one request', async () => {
    await signIn();
    await queue(MAX_BATCH + 3);
    await flushOutbox({ fetch: server.fetch, batchSize: 10_000 });
    expect(readingPosts().map((r) => r.ids.length)).toEqual([500, 3]);
  });

  it('two flushes at once after a sign-in send each reading once', async () => {
    await signIn();
    const readings = await queue(6);
    const [a, b] = await Promise.all([flushOutbox({ fetch: server.fetch, batchSize: 4 }), flushOutbox({ fetch: server.fetch, batchSize: 4 })]);
    expect(a.sent + b.sent).toBe(6);
    expect(server.postedIds.sort()).toEqual(readings.map((r) => r.id).sort());
  });
});
