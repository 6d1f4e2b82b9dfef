import { IDBFactory } from 'fake-indexeddb';
import type { SessionInfo } from '../../src/domain/account.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { Report } from '../../src/domain/report.ts';
import { closeDb } from '../../src/store/db.ts';
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
