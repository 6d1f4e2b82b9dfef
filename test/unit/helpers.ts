import { IDBFactory } from 'fake-indexeddb';
import type { SessionInfo } from '../../src/domain/account.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { Report } from '../../src/domain/report.ts';
import { closeDb, DB_NAME } from '../../src/store/db.ts';
import { saveSession } from '../../src/store/session.ts';

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

/** A valid resident's report with a fresh id. */
export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    id: crypto.randomUUID(),
    reportedAt: '2026-05-04T10:20:00.000+02:00',
    lat: 43.7339,
    lon: 3.5494,
    accuracyM: 25,
    positionSource: 'gps',
    operator: 'sfr',
    problem: 'no-calls',
    setting: 'indoor',
    ...overrides,
  };
}

export const AGENT_ID = 'user-agent-1';

/** What the server answers about the agent signed in on the test device. */
export function sessionInfo(overrides: Partial<SessionInfo> = {}, userId = AGENT_ID): SessionInfo {
  return {
    user: {
      id: userId,
      email: 'agent@saint-guilhem.fr',
      name: 'Camille Agent',
      role: 'agent',
      communes: [{ code: '34261', name: 'Saint-Guilhem-le-Désert', departement: '34' }],
    },
    csrfToken: 'csrf-token-1',
    expiresAt: '2026-06-03T12:00:00.000Z',
    ...overrides,
  };
}

/** The agent signs in on the device (as the page does after POST /api/v1/session). */
export async function signIn(overrides: Partial<SessionInfo> = {}, userId = AGENT_ID): Promise<void> {
  await saveSession(sessionInfo(overrides, userId));
}

/** Drops the shared connection and gives the next getDb() an empty database. */
export async function freshDatabase(): Promise<void> {
  await closeDb();
  globalThis.indexedDB = new IDBFactory();
}

/**
 * A device as an earlier version of the app left it: the database at `version` (1, 3 or 4)
 * made by that version's own upgrade code (copied here as it was, in raw IndexedDB), then
 * `fill` run in the same transaction. What the upgrade tests open with today's getDb().
 */
export async function createOldDevice(version: 1 | 3 | 4, fill: (transaction: IDBTransaction) => void = () => undefined): Promise<void> {
  const open = indexedDB.open(DB_NAME, version);
  open.onupgradeneeded = () => {
    const db = open.result;
    const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
    outbox.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
    outbox.createIndex('bySavedAt', 'savedAt');
    db.createObjectStore('meta');
    if (version >= 2) {
      const reports = db.createObjectStore('reports', { keyPath: 'id' });
      reports.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
      reports.createIndex('bySavedAt', 'savedAt');
    }
    if (version >= 3) db.createObjectStore('tracks', { keyPath: 'id' }).createIndex('byState', 'state');
    if (version >= 4) db.createObjectStore('offlineAreas', { keyPath: 'id' });
    fill(open.transaction!);
  };
  await new Promise<void>((resolve, reject) => {
    open.onsuccess = () => {
      open.result.close();
      resolve();
    };
    open.onerror = () => reject(open.error);
  });
}
