import { beforeEach, describe, expect, it } from 'vitest';
import { DB_NAME, DB_VERSION, closeDb, getDb } from '../../src/store/db.ts';
import { countByState, listReadings, pendingReadings } from '../../src/store/outbox.ts';
import { addReport, listReports } from '../../src/store/reports.ts';
import { getSession, saveSession } from '../../src/store/session.ts';
import { getSyncStatus } from '../../src/store/sync-status.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { freshDatabase, makeReading, makeReport, sessionInfo } from './helpers.ts';

beforeEach(freshDatabase);

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * A device as the app of issue 2 left it: database version 1, created by that version's
 * upgrade code (copied here as it was, in raw IndexedDB), with readings in every state.
 */
async function createVersion1Device(readings: { reading: Reading; state: string; savedAt: number; refusal?: unknown; sentAt?: number }[]): Promise<void> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
    outbox.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
    outbox.createIndex('bySavedAt', 'savedAt');
    db.createObjectStore('meta');
  };
  const db = await request(open);
  const tx = db.transaction(['outbox', 'meta'], 'readwrite');
  for (const record of readings) tx.objectStore('outbox').put({ id: record.reading.id, ...record });
  tx.objectStore('meta').put({ lastAttemptAt: 5, lastError: 'Pas de réseau', consecutiveFailures: 2 }, 'syncStatus');
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
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
