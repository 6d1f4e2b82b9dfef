import { describe, expect, it } from 'vitest';
import { flushForBackgroundSync, HELD_FOR_PROBE_MESSAGE } from '../../src/sync/background-sync.ts';
import { SIGN_IN_NEEDED_MESSAGE, type FlushResult } from '../../src/sync/protocol.ts';

// How a sync event ends decides whether the browser fires it again: a rejection, and only
// while a later try could send what waits (src/sync/background-sync.ts).
const held = async (): Promise<number | undefined> => Date.now() + 30_000;
const noneHeld = async (): Promise<number | undefined> => undefined;
const ending = (result: FlushResult, heldUntil = noneHeld) => flushForBackgroundSync(async () => result, heldUntil);

describe('flushForBackgroundSync', () => {
  it('succeeds when everything went', async () => {
    await expect(ending({ sent: 3, refused: 1, pending: 0 })).resolves.toEqual({ sent: 3, refused: 1, pending: 0 });
  });

  it('fails after a network or server failure, readings or reports', async () => {
    await expect(ending({ sent: 0, refused: 0, pending: 2, error: 'Pas de réseau : le serveur est injoignable' })).rejects.toThrow('Pas de réseau');
    await expect(
      ending({ sent: 0, refused: 0, pending: 0, reports: { sent: 0, refused: 0, pending: 1, error: 'Le serveur est indisponible (503)' } }),
    ).rejects.toThrow('503');
  });

  it('fails while readings are held for their probe, so that a later try sends them', async () => {
    await expect(ending({ sent: 0, refused: 0, pending: 1 }, held)).rejects.toThrow(HELD_FOR_PROBE_MESSAGE);
  });

  it('succeeds when the readings wait for a sign-in: no try helps before it', async () => {
    const waiting: FlushResult = { sent: 0, refused: 0, pending: 4, error: SIGN_IN_NEEDED_MESSAGE, authRequired: true };
    await expect(ending(waiting, held)).resolves.toEqual(waiting);
  });
});
