import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlushResult } from '../../src/sync/protocol.ts';

// The page's scheduler, with the service worker's part (request-sync.ts) done in place by the
// real flush against a fake server: the sync status it records is what the scheduler reads.
const requestSync = vi.fn<() => Promise<FlushResult>>();
vi.mock('../../src/app/sync/request-sync.ts', () => ({
  requestSync,
  registerBackgroundSync: async () => undefined,
  abandonUploadsInFlight: () => void import('../../src/sync/upload.ts').then((upload) => upload.abandonUploadsInFlight()),
  noteNetworkGone: () => void import('../../src/sync/upload.ts').then((upload) => upload.noteNetworkGone()),
}));
vi.mock('../../src/app/shell/session-state.ts', () => ({ refreshSessionState: async () => undefined, watchSession: () => () => undefined }));

const { sendNow, startSyncScheduler } = await import('../../src/app/sync/sync-scheduler.ts');
const { flushOutbox } = await import('../../src/sync/flush.ts');
const { FIRST_RETRY_MS } = await import('../../src/sync/backoff.ts');
const { addReading, countByState } = await import('../../src/store/outbox.ts');
const { getSyncStatus, recordSyncFailure } = await import('../../src/store/sync-status.ts');
const { FakeServer } = await import('./fake-server.ts');
const { freshDatabase, makeReading, signIn } = await import('./helpers.ts');

const BATCH = 2;
let server: InstanceType<typeof FakeServer>;
/** What each POST of readings meets, in order; past the list, the server. */
let posts: ('answered' | 'cut' | Promise<void>)[];
let stop: (() => void) | undefined;

/**
 * The phone's network: a `cut` POST fails as a lost network makes fetch fail; a promise holds
 * the POST on the wire until it settles, then fails the same way.
 */
const phoneFetch: typeof fetch = async (input, init) => {
  if (init?.method === 'POST') {
    const fate = posts.shift() ?? 'answered';
    if (fate !== 'answered') {
      await fate;
      throw new TypeError('Failed to fetch');
    }
  }
  return server.fetch(input, init);
};

beforeEach(async () => {
  await freshDatabase();
  await signIn();
  server = new FakeServer();
  posts = [];
  requestSync.mockReset();
  requestSync.mockImplementation(() => flushOutbox({ fetch: phoneFetch, batchSize: BATCH }));
  vi.stubGlobal('navigator', { onLine: true });
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
  // No other tab nor worker here: the page learns of each send from its own answer.
  vi.stubGlobal('BroadcastChannel', undefined);
  // The middle of the jitter: the first retry comes 3.75 s after a failure, the second 7.5 s.
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  // Only the scheduler's timers: fake-indexeddb keeps its own (setImmediate).
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function queue(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await addReading(makeReading(), 1_000 + i);
}

/** One turn of the real event loop: IndexedDB's requests answer in turns of their own. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Settles `promise` while IndexedDB works, without moving the scheduler's clock. */
async function settled<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const result = promise.finally(() => (done = true));
  while (!done) await turn();
  return result;
}

/**
 * How long the scheduler's clock ran before it asked for the next send (past `limit`, the
 * limit and a bit): in steps of 100 ms, IndexedDB answering in between.
 */
async function msUntilNextTry(limit: number): Promise<number> {
  const before = requestSync.mock.calls.length;
  let elapsed = 0;
  while (requestSync.mock.calls.length === before && elapsed <= limit) {
    for (let i = 0; i < 5; i++) await turn();
    await vi.advanceTimersByTimeAsync(100);
    elapsed += 100;
  }
  return elapsed;
}

describe('after a long send cut by the network', () => {
  it('the next try comes within the first backoff step, whatever failed before the acknowledged batches', async () => {
    // Hours ago, in a valley: three tries that found no server.
    for (let i = 0; i < 3; i++) await recordSyncFailure('Pas de réseau : le serveur est injoignable');
    await queue(3 * BATCH);
    // Two batches acknowledged, then the network drops on the third (no `online` to be heard:
    // a Wi-Fi that lost its backhaul keeps navigator.onLine true).
    posts = ['answered', 'answered', 'cut'];
    const result = await settled(sendNow());
    expect(result).toMatchObject({ sent: 2 * BATCH, pending: BATCH });
    // The server answered a moment ago: one failure in a row, not a fourth.
    expect((await getSyncStatus()).consecutiveFailures).toBe(1);

    expect(await msUntilNextTry(4 * FIRST_RETRY_MS)).toBeLessThanOrEqual(FIRST_RETRY_MS);
    await settled(requestSync.mock.results.at(-1)!.value as Promise<FlushResult>);
    expect(await countByState()).toMatchObject({ pending: 0, sent: 3 * BATCH });
  });

  it('`online` while the cut upload is still on the wire: its failure is not counted against the network’s return', async () => {
    await queue(3 * BATCH);
    let loseConnection!: () => void;
    const onTheWire = new Promise<void>((resolve) => (loseConnection = resolve));
    // The first batch goes, the second is on the wire when the network drops; the first try
    // after the network's return fails too (a radio still attaching).
    posts = ['answered', onTheWire, 'cut'];
    stop = startSyncScheduler();
    await vi.waitFor(() => expect(requestSync).toHaveBeenCalledTimes(1), { interval: 1 });
    const cutSend = requestSync.mock.results[0]!.value as Promise<FlushResult>;
    while (posts.length > 1) await turn();

    (navigator as { onLine: boolean }).onLine = false;
    window.dispatchEvent(new Event('offline'));
    (navigator as { onLine: boolean }).onLine = true;
    window.dispatchEvent(new Event('online'));
    // The send asked for at once, behind the one under way (single-flight).
    expect(requestSync).toHaveBeenCalledTimes(2);
    const firstTryBack = requestSync.mock.results[1]!.value as Promise<FlushResult>;

    loseConnection();
    expect(await settled(cutSend)).toMatchObject({ sent: BATCH, pending: 2 * BATCH });
    expect(await settled(firstTryBack)).toMatchObject({ sent: 0, pending: 2 * BATCH });

    // One failure since the network came back: the first step, not the second.
    expect(await msUntilNextTry(4 * FIRST_RETRY_MS)).toBeLessThanOrEqual(FIRST_RETRY_MS);
    await settled(requestSync.mock.results.at(-1)!.value as Promise<FlushResult>);
    expect(await countByState()).toMatchObject({ pending: 0, sent: 3 * BATCH });
  });

  it('offline for certain, no timer: the `online` event sends', async () => {
    await queue(BATCH);
    posts = ['cut'];
    (navigator as { onLine: boolean }).onLine = false;
    stop = startSyncScheduler();
    // At start offline nothing is asked for (sync-start-offline.test.ts); a save's « Envoyer
    // maintenant » tapped offline tries once and fails.
    await settled(sendNow());
    expect(requestSync).toHaveBeenCalledTimes(1);
    // A try the device knew it could not make is not a server's failure.
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 0, lastError: 'Pas de réseau : le serveur est injoignable' });
    expect(await msUntilNextTry(4 * FIRST_RETRY_MS)).toBeGreaterThan(4 * FIRST_RETRY_MS);

    (navigator as { onLine: boolean }).onLine = true;
    window.dispatchEvent(new Event('online'));
    expect(requestSync).toHaveBeenCalledTimes(2);
    await settled(requestSync.mock.results[1]!.value as Promise<FlushResult>);
    expect(await countByState()).toMatchObject({ pending: 0, sent: BATCH });
  });
});
