import { beforeEach, describe, expect, it } from 'vitest';
import { DB_VERSION, closeDb, getDb } from '../../src/store/db.ts';
import { addReading, countByState, listReadings, newestMeasured, pendingReadings } from '../../src/store/outbox.ts';
import { completeMeasuredTimes } from '../../src/store/measured-times.ts';
import { addReport, listReports } from '../../src/store/reports.ts';
import { getSession, saveSession } from '../../src/store/session.ts';
import { getSyncStatus } from '../../src/store/sync-status.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { createOldDevice, freshDatabase, makeReading, makeReport, sessionInfo } from './helpers.ts';

beforeEach(freshDatabase);

/** A device as the app of issue 2 left it: database version 1, with readings in every state. */
function createVersion1Device(readings: { reading: Reading; state: string; savedAt: number; refusal?: unknown; sentAt?: number }[]): Promise<void> {
  return createOldDevice(1, (transaction) => {
    for (const record of readings) transaction.objectStore('outbox').put({ id: record.reading.id, ...record });
    transaction.objectStore('meta').put({ lastAttemptAt: 5, lastError: 'Pas de réseau', consecutiveFailures: 2 }, 'syncStatus');
  });
}

describe('IndexedDB upgrade from version 1 to 2', () => {
  it('keeps every reading of a version-1 device, in its state, and adds the reports outbox and the session', async () => {
    const pending = [makeReading({ signalBars: 0 }), makeReading({ note: 'église' })];
    const sent = makeReading({ operator: 'sfr' });
    const refused = makeReading({ operator: 'free' });
    const refusal = { code: 'invalid', errors: [{ field: 'lat', message: 'La latitude doit être ≤ 90' }], at: 3 };
    await createVersion1Device([
      { reading: pending[0]!, state: 'pending', savedAt: 10 },
      { reading: sent, state: 'sent', savedAt: 11, sentAt: 12 },
      { reading: refused, state: 'refused', savedAt: 13, refusal },
      { reading: pending[1]!, state: 'pending', savedAt: 14 },
    ]);

    const db = await getDb();

    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['meta', 'offlineAreas', 'outbox', 'reports', 'tracks']);
    expect(await countByState()).toEqual({ pending: 2, sent: 1, refused: 1 });
    const records = await listReadings();
    expect(records.map((r) => r.reading)).toEqual([pending[1], refused, sent, pending[0]]);
    expect(records.find((r) => r.id === refused.id)).toMatchObject({ state: 'refused', refusal });
    expect(records.find((r) => r.id === sent.id)).toMatchObject({ state: 'sent', sentAt: 12 });
    // Readings older than accounts carry no author: the first agent to sign in sends them.
    expect((await pendingReadings(10, 'anyone')).map((r) => r.id)).toEqual([pending[0]!.id, pending[1]!.id]);
    expect(await getSyncStatus()).toEqual({ lastAttemptAt: 5, lastError: 'Pas de réseau', consecutiveFailures: 2 });

    // The new stores work.
    const report = makeReport();
    await addReport(report, 20);
    expect((await listReports()).map((r) => r.id)).toEqual([report.id]);
    expect(await getSession()).toBeUndefined();
    await saveSession(sessionInfo(), 21);
    expect((await getSession())?.info.user.id).toBe('user-agent-1');
  });

  it('keeps everything across a reopen once upgraded (no second upgrade)', async () => {
    const reading = makeReading();
    await createVersion1Device([{ reading, state: 'pending', savedAt: 1 }]);
    await getDb();
    await addReport(makeReport(), 2);
    await closeDb();
    expect((await listReadings()).map((r) => r.id)).toEqual([reading.id]);
    expect(await listReports()).toHaveLength(1);
  });

  it('upgrades an empty version-1 database', async () => {
    await createVersion1Device([]);
    expect(await countByState()).toEqual({ pending: 0, sent: 0, refused: 0 });
    expect(await listReports()).toEqual([]);
  });

  it('creates the current version directly on a new device', async () => {
    const db = await getDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['meta', 'offlineAreas', 'outbox', 'reports', 'tracks']);
  });
});

/** A device as version 4 of the schema left it, with these outbox records. */
function createVersion4Device(records: object[]): Promise<void> {
  return createOldDevice(4, (transaction) => {
    for (const record of records) transaction.objectStore('outbox').put(record);
  });
}

describe('IndexedDB upgrade from version 4 to 5', () => {
  const refusal = { code: 'invalid', errors: [{ field: 'lat', message: 'La latitude doit être ≤ 90' }], at: 3 };
  const before = [
    {
      id: 'a',
      reading: makeReading({ id: 'a', recordedAt: '2026-12-04T09:00:00+01:00' }),
      state: 'pending',
      savedAt: 10,
      recordedBy: 'user-agent-1',
      heldUntil: 40,
    },
    { id: 'b', reading: makeReading({ id: 'b', recordedAt: '2026-12-04T10:30:00Z' }), state: 'sent', savedAt: 30, sentAt: 31 },
    { id: 'c', reading: makeReading({ id: 'c', recordedAt: 'pas une date' }), state: 'refused', savedAt: 20, refusal },
    { id: 'd', reading: makeReading({ id: 'd', recordedAt: '2026-10-14T09:00:00+02:00' }), state: 'pending', savedAt: 30 },
    { id: 'e', reading: makeReading({ id: 'e', recordedAt: '2026-12-04T10:30:00Z' }), state: 'pending', savedAt: 30 },
  ];
  /** The readings list's order: newest measured first, ties by latest save then by id from the highest. */
  const listed = ['e', 'b', 'a', 'd', 'c'];

  it('opens at once, lists the readings of before in their order, then gives each its measured time a few at a time, leaving the rest as it was', async () => {
    await createVersion4Device(before);

    const db = await getDb();

    expect(db.version).toBe(5);
    // Nothing rewritten by the upgrade itself: the list reads them all meanwhile.
    expect(await db.getAll('outbox')).toEqual(before);
    expect((await newestMeasured(10)).records.map((record) => record.id)).toEqual(listed);
    expect(await newestMeasured(2)).toMatchObject({ more: true });
    // Saved during the walk: listed too, whichever way the list reads.
    await addReading(makeReading({ id: 'f', recordedAt: '2026-12-05T08:00:00Z' }), 50);
    expect((await newestMeasured(2)).records.map((record) => record.id)).toEqual(['f', 'e']);

    const walk: boolean[] = [];
    for (let done = false; !done; ) walk.push((done = await completeMeasuredTimes(2)));
    expect(walk).toEqual([false, false, false, true]);
    const after = await db.getAll('outbox');
    expect(after.filter((record) => record.id !== 'f')).toEqual(
      before.map((record) => ({ ...record, measuredAt: record.id === 'c' ? -Infinity : Date.parse(record.reading.recordedAt) })),
    );
    expect((await newestMeasured(10)).records.map((record) => record.id)).toEqual(['f', ...listed]);
    expect(await completeMeasuredTimes(2)).toBe(true);
  });

  it('goes on from where a walk cut short stopped', async () => {
    await createVersion4Device(before);
    expect(await completeMeasuredTimes(3)).toBe(false);
    await closeDb();
    expect(await completeMeasuredTimes(3)).toBe(true);
    expect((await (await getDb()).getAll('outbox')).every((record) => typeof record.measuredAt === 'number')).toBe(true);
  });

  it('has nothing to walk on a device that starts at version 5', async () => {
    await addReading(makeReading(), 1);
    expect(await completeMeasuredTimes(1)).toBe(true);
  });
});
