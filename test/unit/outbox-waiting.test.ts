import { beforeEach, describe, expect, it } from 'vitest';
import {
  addReading,
  anyReadingWaiting,
  applyServerVerdicts,
  countWaiting,
  countWaitingRecordedBy,
  pendingReadings,
  waitingAndRefusedReadingIds,
} from '../../src/store/outbox.ts';
import { freshDatabase, makeReading, NOW } from './helpers.ts';

beforeEach(freshDatabase);

/** Readings saved at these instants, in this order; their ids. */
async function savedAt(times: number[], options: { recordedBy?: string; heldUntil?: number } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (const at of times) {
    const { id } = await addReading(makeReading(), at, options.recordedBy, options.heldUntil === undefined ? {} : { heldUntil: options.heldUntil });
    ids.push(id);
  }
  return ids;
}

describe('pendingReadings, as the sender reads its batches', () => {
  it('leaves out the readings of a batch already on its way, and gives the next ones oldest first', async () => {
    const ids = await savedAt([1, 2, 3, 4, 5, 6]);
    const first = (await pendingReadings(2)).map((record) => record.id);
    expect(first).toEqual(ids.slice(0, 2));
    const second = (await pendingReadings(2, undefined, NOW, new Set(first))).map((record) => record.id);
    expect(second).toEqual(ids.slice(2, 4));
    const third = (await pendingReadings(3, undefined, NOW, new Set([...first, ...second]))).map((record) => record.id);
    expect(third).toEqual(ids.slice(4));
  });

  it('keeps a batch whole when the oldest readings may not go: held for their probe or another account’s', async () => {
    // Imported readings share one savedAt: the order among them is by id, and the walk past the
    // held ones must not lose any of them.
    const others = await savedAt([1, 1, 1], { recordedBy: 'someone-else' });
    const held = await savedAt([2, 2], { recordedBy: 'me', heldUntil: NOW + 60_000 });
    const mine = await savedAt([3, 3, 3, 3], { recordedBy: 'me' });
    const batch = (await pendingReadings(3, 'me', NOW)).map((record) => record.id);
    expect(batch).toHaveLength(3);
    expect(mine).toEqual(expect.arrayContaining(batch));
    expect(batch.some((id) => others.includes(id) || held.includes(id))).toBe(false);
    const rest = (await pendingReadings(3, 'me', NOW, new Set(batch))).map((record) => record.id);
    expect([...batch, ...rest].sort()).toEqual([...mine].sort());
  });
});

describe('what the screens and the sender ask without reading every reading', () => {
  it('says whether any reading waits, and which wait and which were refused', async () => {
    expect(await anyReadingWaiting()).toBe(false);
    const [sent, refused, waiting] = await savedAt([1, 2, 3]);
    expect(await anyReadingWaiting()).toBe(true);
    await applyServerVerdicts({ stored: [sent!], refused: [{ id: refused!, code: 'invalid', errors: [] }] });
    expect(await waitingAndRefusedReadingIds()).toEqual({ pending: [waiting], refused: [refused] });
    expect(await countWaiting()).toBe(1);
    await applyServerVerdicts({ stored: [waiting!], refused: [] });
    expect(await anyReadingWaiting()).toBe(false);
  });

  it('counts the readings an account would leave waiting on the device when signing out', async () => {
    await savedAt([1, 2], { recordedBy: 'camille' });
    const [sent] = await savedAt([3], { recordedBy: 'camille' });
    await savedAt([4], { recordedBy: 'dominique' });
    await applyServerVerdicts({ stored: [sent!], refused: [] });
    expect(await countWaitingRecordedBy('camille')).toBe(2);
    expect(await countWaitingRecordedBy('nobody')).toBe(0);
  });
});
