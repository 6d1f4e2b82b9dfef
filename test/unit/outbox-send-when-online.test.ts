import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// What a save sets off: the send is asked of the service worker (request-sync.ts), faked here.
const requestSync = vi.fn(async () => ({ sent: 0, refused: 0, pending: 0 }));
vi.mock('../../src/app/sync/request-sync.ts', () => ({ requestSync, registerBackgroundSync: async () => undefined }));

const { sendWhenOnline } = await import('../../src/app/sync/sync-scheduler.ts');
const { freshDatabase } = await import('./helpers.ts');

beforeEach(async () => {
  await freshDatabase();
  requestSync.mockClear();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the send a save sets off', () => {
  it('is not asked for offline: a flush would only read the outbox to fail, and the `online` event sends', () => {
    vi.stubGlobal('navigator', { onLine: false });
    sendWhenOnline();
    expect(requestSync).not.toHaveBeenCalled();
  });

  it('is asked for at once with network', async () => {
    vi.stubGlobal('navigator', { onLine: true });
    sendWhenOnline();
    await vi.waitFor(() => expect(requestSync).toHaveBeenCalledTimes(1));
  });
});
