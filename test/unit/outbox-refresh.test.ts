import { beforeEach, describe, expect, it } from 'vitest';
import { patchRecords } from '../../src/app/sync/patch-records.ts';
import { outboxState, pendingCount, refreshOutbox } from '../../src/app/sync/outbox-state.ts';
import { withDb, type OutboxRecord } from '../../src/store/db.ts';
import { addReading, applyServerVerdicts, deleteReading, listReadings } from '../../src/store/outbox.ts';
import { freshDatabase, makeReading } from './helpers.ts';

beforeEach(async () => {
  await freshDatabase();
  outboxState.set({ loaded: false, records: [], reports: [] });
});

const ids = (records: readonly OutboxRecord[]) => records.map((record) => record.id);

describe('patchRecords', () => {
  const record = (id: string, savedAt: number, state: OutboxRecord['state'] = 'pending'): OutboxRecord => ({
    id,
    savedAt,
    state,
    reading: makeReading({ id }),
  });

  it('puts a new reading where a full read would, newest save first, ties by id from the highest', () => {
    const list = [record('c', 30), record('b', 20), record('a', 20), record('z', 10)];
    expect(ids(patchRecords(list, ['n'], [record('n', 40)]))).toEqual(['n', 'c', 'b', 'a', 'z']);
    expect(ids(patchRecords(list, ['ab'], [record('ab', 20)]))).toEqual(['c', 'b', 'ab', 'a', 'z']);
    expect(ids(patchRecords(list, ['y'], [record('y', 5)]))).toEqual(['c', 'b', 'a', 'z', 'y']);
  });

  it('replaces a changed reading and drops a deleted one, leaving the list given as it was', () => {
    const list = [record('c', 30), record('b', 20), record('a', 10)];
    const patched = patchRecords(list, ['b', 'a'], [record('b', 20, 'sent')]);
    expect(patched.map(({ id, state }) => `${id}:${state}`)).toEqual(['c:pending', 'b:sent']);
    expect(ids(list)).toEqual(['c', 'b', 'a']);
  });

  it('answers the same list when nothing changed, so that screens need not redraw', () => {
    const list = [record('a', 1)];
    expect(patchRecords(list, [], [])).toBe(list);
  });
});

describe('refreshOutbox', () => {
  it('re-reads only the readings it is told changed', async () => {
    const first = await addReading(makeReading(), 1_000);
    await refreshOutbox();
    // Changed behind the page's back (as another tab would, without saying so)…
    await withDb((db) => db.put('outbox', { ...first, state: 'sent', sentAt: 2_000 }));
    const second = await addReading(makeReading(), 3_000);
    await refreshOutbox([second.id]);
    // …the page learns of the reading it was told about, not of the other one:
    expect(outboxState.get().records.map(({ id, state }) => [id, state])).toEqual([
      [second.id, 'pending'],
      [first.id, 'pending'],
    ]);
    // a full refresh (a page back from the background) sees everything.
    await refreshOutbox();
    expect(outboxState.get().records.map(({ id, state }) => [id, state])).toEqual([
      [second.id, 'pending'],
      [first.id, 'sent'],
    ]);
  });

  it('ends with what a full read gives after saves, verdicts and deletions told by id', async () => {
    await refreshOutbox();
    const saved: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { id } = await addReading(makeReading(), 1_000 + (i % 7));
      saved.push(id);
      void refreshOutbox([id]);
    }
    const acknowledged = saved.slice(0, 12);
    await applyServerVerdicts({ stored: acknowledged, refused: [{ id: saved[12]!, code: 'invalid', errors: [] }] });
    void refreshOutbox([...acknowledged, saved[12]!]);
    await deleteReading(saved[20]!);
    await refreshOutbox([saved[20]!]);
    expect(outboxState.get().records).toEqual(await listReadings());
    expect(pendingCount(outboxState.get())).toBe(30 - 13 - 1);
  });

  it('folds calls made during a read into one more read that covers them all', async () => {
    await refreshOutbox();
    const a = await addReading(makeReading(), 1);
    const b = await addReading(makeReading(), 2);
    const reads = [refreshOutbox([a.id]), refreshOutbox([b.id]), refreshOutbox([])];
    await Promise.all(reads);
    expect(ids(outboxState.get().records)).toEqual([b.id, a.id]);
  });
});
