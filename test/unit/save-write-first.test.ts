import { IDBTransaction } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';
import { storeWithEvidence, type EvidenceDeps } from '../../src/app/evidence/store-with-evidence.ts';
import { getDb } from '../../src/store/db.ts';
import { READING_DURABLE_MARK, addReading, getReading, listReadings } from '../../src/store/outbox.ts';
import { NOW, freshDatabase, makeReading } from './helpers.ts';

/**
 * Issue 19, tap → durable: the reading's write is on its way before the tap's task ends, and
 * its commit is asked for at once. IndexedDB runs overlapping transactions in the order they
 * were created: a read started where the tap's task ends finds the reading only if the write
 * had started by then, and misses it if the save waited for anything first.
 */

beforeEach(async () => {
  await freshDatabase();
  // The page opens IndexedDB at start, before the survey screen is drawn.
  await getDb();
  performance.clearMarks(READING_DURABLE_MARK);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * What a read finds under `id` when started once the caller's microtasks have run but before
 * any other task (a timer, an IndexedDB answer, a module loaded): where a tap's task ends.
 */
async function readWhereTheTaskEnds(id: string) {
  for (let hop = 0; hop < 100; hop += 1) await Promise.resolve();
  return getReading(id);
}

function deps(online: boolean): EvidenceDeps {
  return {
    now: () => NOW,
    online: () => online,
    knownSettings: () => DEFAULT_FIELD_SETTINGS.probe,
    settings: async () => DEFAULT_FIELD_SETTINGS.probe,
    // Never ends: this test is about the write, not the probe.
    measure: () => new Promise(() => {}),
    onStored: () => {},
    onEvidence: () => {},
  };
}

describe('a save’s write', () => {
  it('starts within the caller’s task: a read started where that task ends finds the reading', async () => {
    const reading = makeReading();
    const saving = addReading(reading, NOW);
    expect(await readWhereTheTaskEnds(reading.id)).toMatchObject({ id: reading.id, state: 'pending', savedAt: NOW });
    await saving;
  });

  it('starts within the tap’s task through the save path, offline and online (held for its probe)', async () => {
    for (const online of [false, true]) {
      const reading = makeReading();
      const saving = storeWithEvidence(reading, 'user-agent-1', {}, deps(online));
      expect(await readWhereTheTaskEnds(reading.id)).toMatchObject({ id: reading.id, state: 'pending' });
      await saving;
    }
  });

  it('asks for its commit at once instead of waiting for the page to hear of the add', async () => {
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
    await addReading(makeReading(), NOW);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('marks each committed save, keeping the latest mark only', async () => {
    await addReading(makeReading(), NOW);
    const beforeSecond = performance.now();
    await addReading(makeReading(), NOW + 1);
    const marks = performance.getEntriesByName(READING_DURABLE_MARK);
    expect(marks).toHaveLength(1);
    expect(marks[0]!.startTime).toBeGreaterThanOrEqual(beforeSecond);
  });

  it('refuses a second reading under the same id, stores it once and marks nothing', async () => {
    const reading = makeReading();
    await addReading(reading, NOW);
    performance.clearMarks(READING_DURABLE_MARK);
    await expect(addReading({ ...reading, note: 'autre' }, NOW + 1)).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await listReadings()).toHaveLength(1);
    expect((await getReading(reading.id))?.reading.note).toBeUndefined();
    expect(performance.getEntriesByName(READING_DURABLE_MARK)).toHaveLength(0);
  });
});
