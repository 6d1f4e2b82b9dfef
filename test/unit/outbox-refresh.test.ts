import { beforeEach, describe, expect, it } from 'vitest';
import { patchRecords } from '../../src/app/sync/patch-records.ts';
import { outboxState, pendingCount, refreshOutbox, showNewest, watchNewest, watchRecords } from '../../src/app/sync/outbox-state.ts';
import { waitingRecord, withDb, type OutboxRecord } from '../../src/store/db.ts';
import { addReading, applyServerVerdicts, deleteReading, listReadings, resubmitReading } from '../../src/store/outbox.ts';
import { freshDatabase, makeReading } from './helpers.ts';

let closeList: (() => void) | undefined;

beforeEach(async () => {
  closeList?.();
  closeList = undefined;
  await freshDatabase();
  outboxState.set({ loaded: false, records: [], recordsLoaded: false, counts: { pending: 0, refused: 0 }, reports: [] });
});

/** As a screen listing the readings does (useOutboxRecords()). */
function openList(): void {
  closeList = watchRecords();
}

const ids = (records: readonly OutboxRecord[]) => records.map((record) => record.id);

describe('patchRecords', () => {
  const record = (id: string, savedAt: number, state: OutboxRecord['state'] = 'pending'): OutboxRecord => ({
    ...waitingRecord(makeReading({ id }), savedAt),
    state,
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
    openList();
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
    openList();
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
    openList();
    await refreshOutbox();
    const a = await addReading(makeReading(), 1);
    const b = await addReading(makeReading(), 2);
    const reads = [refreshOutbox([a.id]), refreshOutbox([b.id]), refreshOutbox([])];
    await Promise.all(reads);
    expect(ids(outboxState.get().records)).toEqual([b.id, a.id]);
  });
});

describe('the counts, without the readings', () => {
  it('holds no reading while no screen lists them, and counts the waiting and refused ones', async () => {
    const kept = await addReading(makeReading(), 1);
    const refused = await addReading(makeReading(), 2);
    await addReading(makeReading(), 3);
    await applyServerVerdicts({ stored: [kept.id], refused: [{ id: refused.id, code: 'invalid', errors: [] }] });
    await refreshOutbox();
    expect(outboxState.get()).toMatchObject({ loaded: true, records: [], recordsLoaded: false, counts: { pending: 1, refused: 1 } });
  });

  it('follows the changes it is told of by id, without reading the index again', async () => {
    await refreshOutbox();
    const a = await addReading(makeReading(), 1);
    const b = await addReading(makeReading(), 2);
    await refreshOutbox([a.id, b.id]);
    expect(pendingCount(outboxState.get())).toBe(2);
    // Added behind the page's back (no id told): the counts do not see it…
    await addReading(makeReading(), 3);
    await applyServerVerdicts({ stored: [a.id], refused: [{ id: b.id, code: 'conflict', errors: [] }] });
    await refreshOutbox([a.id, b.id]);
    expect(outboxState.get().counts).toEqual({ pending: 0, refused: 1 });
    // …a correction moves a refused reading back to waiting, under a new id…
    const corrected = makeReading();
    await resubmitReading(b.id, corrected);
    await refreshOutbox([b.id, corrected.id]);
    expect(outboxState.get().counts).toEqual({ pending: 1, refused: 0 });
    // …and a change told without ids (an import) reads the index again.
    await refreshOutbox();
    expect(outboxState.get().counts).toEqual({ pending: 2, refused: 0 });
  });

  it('reads the readings when a screen lists them, and lets them go when the last one closes', async () => {
    const saved = await addReading(makeReading(), 1);
    await refreshOutbox();
    const closeFirst = watchRecords();
    const closeSecond = watchRecords();
    await refreshOutbox([]);
    expect(ids(outboxState.get().records)).toEqual([saved.id]);
    closeFirst();
    closeFirst();
    expect(outboxState.get().recordsLoaded).toBe(true);
    closeSecond();
    expect(outboxState.get()).toMatchObject({ records: [], recordsLoaded: false });
    const next = await addReading(makeReading(), 2);
    await refreshOutbox([next.id]);
    expect(outboxState.get()).toMatchObject({ records: [], recordsLoaded: false, counts: { pending: 2, refused: 0 } });
  });
});

describe('the readings list’s page', () => {
  it('reads only the readings it shows, the most recently measured first, and follows the changes', async () => {
    const start = Date.parse('2026-12-01T08:00:00Z');
    for (let i = 0; i < 250; i += 1) await addReading(makeReading({ recordedAt: new Date(start + i * 60_000).toISOString() }), start + i);
    const newestIds = ids(await listReadings()).slice(0, 100);
    const close = watchNewest();
    try {
      await showNewest(100);
      let state = outboxState.get();
      expect(ids(state.newest)).toEqual(newestIds);
      // The whole outbox is read by no one: 100 records held, not 250.
      expect(state).toMatchObject({ newestMore: true, newestLoaded: true, records: [], recordsLoaded: false });

      const saved = await addReading(makeReading({ recordedAt: new Date(start + 251 * 60_000).toISOString() }), start + 251);
      await refreshOutbox([saved.id]);
      await deleteReading(newestIds[0]!);
      await refreshOutbox([newestIds[0]!]);
      state = outboxState.get();
      expect(ids(state.newest)).toEqual([saved.id, ...newestIds.slice(1)]);

      // « Afficher plus »: the next ones; at the end, no more.
      await showNewest(300);
      expect(outboxState.get()).toMatchObject({ newestMore: false });
      expect(outboxState.get().newest).toHaveLength(250);
    } finally {
      close();
    }
    expect(outboxState.get()).toMatchObject({ newest: [], newestMore: false, newestLoaded: false });
    // Closed: a change reads no page.
    const after = await addReading(makeReading(), 1);
    await refreshOutbox([after.id]);
    expect(outboxState.get().newest).toEqual([]);
  });
});
