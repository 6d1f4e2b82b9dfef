import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlushResult } from '../../src/sync/protocol.ts';

// The send is asked of the service worker (request-sync.ts), faked here: a busy server first.
const requestSync = vi.fn<() => Promise<FlushResult>>();
vi.mock('../../src/app/sync/request-sync.ts', () => ({ requestSync, registerBackgroundSync: async () => undefined }));

const { sendNow } = await import('../../src/app/sync/sync-scheduler.ts');
const { freshDatabase } = await import('./helpers.ts');

beforeEach(async () => {
  await freshDatabase();
  requestSync.mockReset();
  vi.stubGlobal('navigator', { onLine: true });
  // Only the scheduler's timers: fake-indexeddb keeps its own (setImmediate).
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('after a busy server’s 503 with Retry-After', () => {
  it('the next try waits what the server asked (60 s here), not the first backoff step (≤ 5 s)', async () => {
    requestSync.mockResolvedValueOnce({ sent: 0, refused: 0, pending: 2, error: 'Le serveur est indisponible (503 : occupé)', retryAfterMs: 60_000 });
    requestSync.mockResolvedValue({ sent: 2, refused: 0, pending: 0 });
    await sendNow();
    expect(requestSync).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(59_000);
    expect(requestSync).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(31_000);
    expect(requestSync).toHaveBeenCalledTimes(2);
  });
});
