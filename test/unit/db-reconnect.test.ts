import { unwrap } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, isLostConnection, withDb } from '../../src/store/db.ts';
import { addReading, attachProbe, countByState, getReading, listReadings, pendingReadings } from '../../src/store/outbox.ts';
import { freshDatabase, makeReading } from './helpers.ts';

beforeEach(freshDatabase);

/**
 * What Safari on iOS does to a backgrounded app: the connection is closed under the store,
 * without the "close" event that would tell it, so the store still holds the dead one.
 */
async function closeUnderTheStore(): Promise<void> {
  const db = await getDb();
  unwrap(db).close();
  let thrown: unknown;
  try {
    db.transaction('outbox');
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toMatchObject({ name: 'InvalidStateError' });
}

describe('IndexedDB connection closed under the store', () => {
  it('a save reopens the database and succeeds', async () => {
    const stale = await getDb();
    await closeUnderTheStore();
    const reading = makeReading();
    await addReading(reading, 1, 'user-agent-1');
    expect((await getReading(reading.id))?.reading).toEqual(reading);
    // The dead connection was replaced, not reused.
    expect(await getDb()).not.toBe(stale);
  });

  it('keeps what was stored before the close', async () => {
    const before = makeReading();
    await addReading(before, 1);
    await closeUnderTheStore();
    expect((await listReadings()).map((r) => r.id)).toEqual([before.id]);
    await closeUnderTheStore();
    expect(await countByState()).toEqual({ pending: 1, sent: 0, refused: 0 });
    await closeUnderTheStore();
    expect((await pendingReadings(10)).map((r) => r.id)).toEqual([before.id]);
    await closeUnderTheStore();
    expect(await attachProbe(before, { startedAt: '2026-05-04T12:00:00.000+02:00', durationMs: 0, result: 'device-offline' })).toBe(true);
  });

  it('several saves racing after the close all land, on one new connection', async () => {
    await closeUnderTheStore();
    const readings = [makeReading(), makeReading(), makeReading()];
    await Promise.all(readings.map((reading, i) => addReading(reading, i)));
    expect((await listReadings()).map((r) => r.id).sort()).toEqual(readings.map((r) => r.id).sort());
  });

  it('retries once only: an error that is not a lost connection is not retried', async () => {
    let calls = 0;
    await expect(
      withDb(async () => {
        calls += 1;
        throw new DOMException('Key already exists in the object store.', 'ConstraintError');
      }),
    ).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      withDb(async () => {
        calls += 1;
        throw new DOMException('The database connection is closing.', 'InvalidStateError');
      }),
    ).rejects.toMatchObject({ name: 'InvalidStateError' });
    expect(calls).toBe(2);
  });

  it('recognises the errors browsers raise on a lost connection', () => {
    expect(
      isLostConnection(new DOMException("Failed to execute 'transaction' on 'IDBDatabase': The database connection is closing.", 'InvalidStateError')),
    ).toBe(true);
    expect(isLostConnection(new DOMException('Connection to Indexed Database server lost. Refresh the page to try again', 'UnknownError'))).toBe(true);
    expect(isLostConnection(new DOMException('Key already exists', 'ConstraintError'))).toBe(false);
    expect(isLostConnection(new DOMException('Quota exceeded', 'QuotaExceededError'))).toBe(false);
    expect(isLostConnection('InvalidStateError')).toBe(false);
  });
});
