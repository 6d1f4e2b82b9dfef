import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The send is asked of the service worker (request-sync.ts), faked here; who is signed in is
// read at once (nobody), so that the start's decision is taken within a tick.
const requestSync = vi.fn(async () => ({ sent: 0, refused: 0, pending: 0 }));
vi.mock('../../src/app/sync/request-sync.ts', () => ({
  requestSync,
  registerBackgroundSync: async () => undefined,
  abandonUploadsInFlight: () => undefined,
  noteNetworkGone: () => undefined,
}));
vi.mock('../../src/app/shell/session-state.ts', () => ({ refreshSessionState: async () => undefined, watchSession: () => () => undefined }));

const { startSyncScheduler } = await import('../../src/app/sync/sync-scheduler.ts');
const { freshDatabase } = await import('./helpers.ts');

let stop: (() => void) | undefined;

beforeEach(async () => {
  await freshDatabase();
  requestSync.mockClear();
  // The page's globals the scheduler listens on, in Node.
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.unstubAllGlobals();
});

/** Every task the start queued has run (its IndexedDB reads answer in later ticks of their own). */
const afterStart = () => new Promise((resolve) => setImmediate(resolve));

describe('the send at start', () => {
  it('is not asked for offline (issue 19: it only filled the time before the first tap), and the network back sends', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    stop = startSyncScheduler();
    await afterStart();
    expect(requestSync).not.toHaveBeenCalled();

    (navigator as { onLine: boolean }).onLine = true;
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(requestSync).toHaveBeenCalledTimes(1));
  });

  it('is asked for at once with network', async () => {
    vi.stubGlobal('navigator', { onLine: true });
    stop = startSyncScheduler();
    await vi.waitFor(() => expect(requestSync).toHaveBeenCalledTimes(1));
  });
});
