import { IDBFactory } from 'fake-indexeddb';
import type { Reading } from '../../src/domain/reading.ts';
import { closeDb } from '../../src/store/db.ts';

/** The instant the tests pretend it is; readings below are recorded a little before it. */
export const NOW = Date.parse('2026-05-04T12:00:00Z');
export const fixedNow = () => NOW;

/** A valid reading with a fresh id; `overrides` may make it anything else. */
export function makeReading(overrides: Partial<Reading> = {}): Reading {
  return {
    id: crypto.randomUUID(),
    recordedAt: '2026-05-04T10:15:00.000+02:00',
    lat: 43.6108,
    lon: 3.8767,
    accuracyM: 12,
    operator: 'orange',
    technology: '4G',
    signalBars: 3,
    setting: 'outdoor',
    source: 'agent',
    ...overrides,
  };
}

/** Drops the shared connection and gives the next getDb() an empty database. */
export async function freshDatabase(): Promise<void> {
  await closeDb();
  globalThis.indexedDB = new IDBFactory();
}
