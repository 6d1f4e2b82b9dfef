import { forceCloseDatabase } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DB_NAME, DB_VERSION, closeDb, getDb } from '../../src/store/db.ts';
import {
  addReading,
  applyServerVerdicts,
  countByState,
  deleteReading,
  getReading,
  listReadings,
  pendingReadings,
  resubmitReading,
} from '../../src/store/outbox.ts';
import { getSyncStatus, recordSyncFailure, recordSyncSuccess } from '../../src/store/sync-status.ts';
import { freshDatabase, makeReading } from './helpers.ts';

beforeEach(freshDatabase);

const invalidLat = [{ field: 'lat', message: 'La latitude doit être ≤ 90' }];

/** Stores readings saved at the given times; returns their ids in the same order. */
async function addSavedAt(...times: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const savedAt of times) ids.push((await addReading(makeReading(), savedAt)).id);
  return ids;
}

describe('addReading / listReadings', () => {
  it('stores a reading as pending and lists every reading newest first', async () => {
    const [a, b, c] = await addSavedAt(1_000, 3_000, 2_000);
    const list = await listReadings();
    expect(list.map((r) => r.id)).toEqual([b, c, a]);
    expect(list.every((r) => r.state === 'pending')).toBe(true);
    expect(list[0]).toMatchObject({ id: b, savedAt: 3_000, state: 'pending' });
  });

  it('keeps the reading as given', async () => {
    const reading = makeReading({ note: 'Près du château d’eau', signalDbm: -110, voice: 'dropped' });
    const record = await addReading(reading, 5);
    expect(record).toEqual({ id: reading.id, reading, state: 'pending', savedAt: 5, measuredAt: Date.parse(reading.recordedAt) });
    expect(await getReading(reading.id)).toEqual(record);
  });

  it('lists nothing on an empty database', async () => {
    expect(await listReadings()).toEqual([]);
  });

  it('refuses to store the same id twice and keeps the first', async () => {
    const first = makeReading({ signalBars: 1 });
    await addReading(first, 1);
    await expect(addReading({ ...first, signalBars: 4 }, 2)).rejects.toMatchObject({ name: 'ConstraintError' });
    const stored = await getReading(first.id);
    expect(stored?.reading.signalBars).toBe(1);
    expect(stored?.savedAt).toBe(1);
    expect(await listReadings()).toHaveLength(1);
  });

  it('deletes a reading', async () => {
    const [a, b] = await addSavedAt(1, 2);
    await deleteReading(a!);
    expect(await getReading(a!)).toBeUndefined();
    expect((await listReadings()).map((r) => r.id)).toEqual([b]);
  });
});

describe('pendingReadings', () => {
  it('gives the oldest pending readings first, at most `limit`', async () => {
    const [a, b, c, d, e] = await addSavedAt(50, 10, 40, 20, 30);
    // b (10) is sent, so it no longer waits.
    await applyServerVerdicts({ stored: [b!], refused: [] });
    expect((await pendingReadings(2)).map((r) => r.id)).toEqual([d, e]);
    expect((await pendingReadings(10)).map((r) => r.id)).toEqual([d, e, c, a]);
  });

  it('skips sent and refused readings', async () => {
    const [a, b, c] = await addSavedAt(1, 2, 3);
    await applyServerVerdicts({ stored: [a!], refused: [{ id: b!, code: 'invalid', errors: invalidLat }] });
    expect((await pendingReadings(10)).map((r) => r.id)).toEqual([c]);
  });

  it('is empty when nothing waits', async () => {
    expect(await pendingReadings(10)).toEqual([]);
  });
});

describe('applyServerVerdicts', () => {
  it('marks stored readings sent and refused ones refused, with the reasons', async () => {
    const [a, b, c] = await addSavedAt(1, 2, 3);
    await applyServerVerdicts({ stored: [a!, c!], refused: [{ id: b!, code: 'invalid', errors: invalidLat }] }, 777);
    expect(await getReading(a!)).toMatchObject({ state: 'sent', sentAt: 777 });
    expect(await getReading(c!)).toMatchObject({ state: 'sent', sentAt: 777 });
    const refused = await getReading(b!);
    expect(refused?.state).toBe('refused');
    expect(refused?.refusal).toEqual({ code: 'invalid', errors: invalidLat, at: 777 });
    expect(refused?.sentAt).toBeUndefined();
  });

  it('records a conflict as such', async () => {
    const [a] = await addSavedAt(1);
    const errors = [{ field: 'id', message: 'Un autre relevé porte déjà cet identifiant' }];
    await applyServerVerdicts({ stored: [], refused: [{ id: a!, code: 'conflict', errors }] }, 9);
    expect((await getReading(a!))?.refusal).toEqual({ code: 'conflict', errors, at: 9 });
  });

  it('does not bring back a reading deleted meanwhile', async () => {
    const [a, b] = await addSavedAt(1, 2);
    await deleteReading(a!);
    await deleteReading(b!);
    await applyServerVerdicts({ stored: [a!], refused: [{ id: b!, code: 'invalid', errors: invalidLat }] });
    expect(await getReading(a!)).toBeUndefined();
    expect(await getReading(b!)).toBeUndefined();
    expect(await listReadings()).toEqual([]);
  });

  it('leaves alone a reading that is no longer pending', async () => {
    const [a, b] = await addSavedAt(1, 2);
    await applyServerVerdicts({ stored: [a!], refused: [{ id: b!, code: 'invalid', errors: invalidLat }] }, 100);
    const before = [await getReading(a!), await getReading(b!)];
    // A late, contradictory answer (e.g. from a request that was retried) changes nothing.
    await applyServerVerdicts({ stored: [b!], refused: [{ id: a!, code: 'conflict', errors: [] }] }, 200);
    expect([await getReading(a!), await getReading(b!)]).toEqual(before);
    expect(before[0]).toMatchObject({ state: 'sent', sentAt: 100 });
    expect(before[1]).toMatchObject({ state: 'refused' });
  });

  it('ignores ids it does not know', async () => {
    const [a] = await addSavedAt(1);
    await applyServerVerdicts({ stored: [crypto.randomUUID(), a!], refused: [{ id: crypto.randomUUID(), code: 'invalid', errors: [] }] });
    expect(await listReadings()).toEqual([expect.objectContaining({ id: a, state: 'sent' })]);
  });
});

describe('resubmitReading', () => {
  it('after an "invalid" refusal, keeps the id and puts the corrected reading back to pending', async () => {
    const original = makeReading({ lat: 91 });
    await addReading(original, 42);
    await applyServerVerdicts({ stored: [], refused: [{ id: original.id, code: 'invalid', errors: invalidLat }] });
    const corrected = { ...original, lat: 43.6 };

    const record = await resubmitReading(original.id, corrected);

    expect(record).toEqual({ id: original.id, reading: corrected, state: 'pending', savedAt: 42, measuredAt: Date.parse(corrected.recordedAt) });
    expect(await getReading(original.id)).toEqual(record);
    expect(await listReadings()).toHaveLength(1);
    // Back in the queue, at its original place (oldest first).
    expect((await pendingReadings(10)).map((r) => r.id)).toEqual([original.id]);
  });

  it('after a "conflict" refusal, replaces the old record by the one with a new id', async () => {
    const [older] = await addSavedAt(1);
    const original = makeReading();
    await addReading(original, 42);
    await applyServerVerdicts({ stored: [], refused: [{ id: original.id, code: 'conflict', errors: [] }] });
    const corrected = { ...original, id: crypto.randomUUID() };

    const record = await resubmitReading(original.id, corrected);

    expect(record).toEqual({ id: corrected.id, reading: corrected, state: 'pending', savedAt: 42, measuredAt: Date.parse(corrected.recordedAt) });
    expect(await getReading(original.id)).toBeUndefined();
    expect(await getReading(corrected.id)).toEqual(record);
    expect((await listReadings()).map((r) => r.id)).toEqual([corrected.id, older]);
  });

  it.each(['pending', 'sent'] as const)('refuses to correct a %s reading, and changes nothing', async (state) => {
    const [a] = await addSavedAt(1);
    if (state === 'sent') await applyServerVerdicts({ stored: [a!], refused: [] });
    const before = await getReading(a!);
    const corrected = { ...before!.reading, id: crypto.randomUUID(), lat: 10 };
    await expect(resubmitReading(a!, corrected)).rejects.toThrow('Seul un relevé refusé peut être corrigé');
    expect(await listReadings()).toEqual([before]);
  });

  it('refuses to correct a reading that no longer exists', async () => {
    const reading = makeReading();
    await expect(resubmitReading(reading.id, reading)).rejects.toThrow('n’existe plus');
    expect(await listReadings()).toEqual([]);
  });
});

describe('countByState', () => {
  it('counts each state', async () => {
    expect(await countByState()).toEqual({ pending: 0, sent: 0, refused: 0 });
    const [a, b, c] = await addSavedAt(1, 2, 3, 4, 5, 6);
    await applyServerVerdicts({ stored: [a!, b!], refused: [{ id: c!, code: 'invalid', errors: [] }] });
    expect(await countByState()).toEqual({ pending: 3, sent: 2, refused: 1 });
  });
});

describe('sync status', () => {
  it('starts with no failure and no attempt', async () => {
    expect(await getSyncStatus()).toEqual({ consecutiveFailures: 0 });
  });

  it('counts failures in a row, resets them on success, and keeps the last success across failures', async () => {
    expect(await recordSyncFailure('Pas de réseau', 1_000)).toEqual({ lastAttemptAt: 1_000, lastError: 'Pas de réseau', consecutiveFailures: 1 });
    expect(await recordSyncFailure('Serveur indisponible', 2_000)).toEqual({
      lastAttemptAt: 2_000,
      lastError: 'Serveur indisponible',
      consecutiveFailures: 2,
    });
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 2, lastError: 'Serveur indisponible' });

    await recordSyncSuccess(3_000);
    const afterSuccess = await getSyncStatus();
    expect(afterSuccess).toEqual({ lastAttemptAt: 3_000, lastSuccessAt: 3_000, consecutiveFailures: 0 });
    expect(afterSuccess).not.toHaveProperty('lastError');

    await recordSyncFailure('Délai dépassé', 4_000);
    await recordSyncFailure('Délai dépassé', 5_000);
    expect(await getSyncStatus()).toEqual({
      lastAttemptAt: 5_000,
      lastSuccessAt: 3_000,
      lastError: 'Délai dépassé',
      consecutiveFailures: 2,
    });
  });

  it('lives in the same database as the outbox, and is kept across reconnections', async () => {
    await recordSyncFailure('x', 1);
    await closeDb();
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 1, lastError: 'x' });
  });
});

describe('connection', () => {
  it('reopens after the browser closed the database behind our back', async () => {
    const [a] = await addSavedAt(1);
    const db = await getDb();
    const raw = unwrap(db);
    const closed = new Promise((resolve) => raw.addEventListener('close', resolve, { once: true }));
    // What iOS does to a backgrounded app's connection: a forced close, firing "close".
    forceCloseDatabase(raw as unknown as Parameters<typeof forceCloseDatabase>[0]);
    await closed;

    // The stale connection is unusable; the store must not hand it out again.
    expect(() => db.transaction('outbox')).toThrow();
    const reopened = await getDb();
    expect(reopened).not.toBe(db);
    await addSavedAt(2);
    expect(await countByState()).toMatchObject({ pending: 2 });
    expect(await getReading(a!)).toMatchObject({ id: a });
  });

  it('reopens after closeDb()', async () => {
    const db = await getDb();
    await closeDb();
    const reopened = await getDb();
    expect(reopened).not.toBe(db);
    await addSavedAt(1);
    expect(await listReadings()).toHaveLength(1);
  });

  it('shares one connection between calls', async () => {
    const [first, second] = await Promise.all([getDb(), getDb()]);
    expect(second).toBe(first);
  });

  it('steps aside when another tab upgrades the schema', async () => {
    const db = await getDb();
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION + 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    expect(upgraded.version).toBe(DB_VERSION + 1);
    // Our connection was closed to let the upgrade through.
    expect(() => db.transaction('outbox')).toThrow();
    upgraded.close();
  });
});
