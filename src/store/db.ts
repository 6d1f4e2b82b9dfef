import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Reading } from '../domain/reading.ts';

export type OutboxState = 'pending' | 'sent' | 'refused';

export interface RefusalReason {
  field: string;
  message: string;
}

export interface OutboxRecord {
  id: string;
  reading: Reading;
  state: OutboxState;
  /** When the device stored it (ms since epoch); the outbox sends oldest first. */
  savedAt: number;
  sentAt?: number;
  /** Present when refused: why the server said no, and whether it was an id conflict. */
  refusal?: { code: 'invalid' | 'conflict'; errors: RefusalReason[]; at: number };
}

export interface SyncStatus {
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  /** Message of the last failed attempt, cleared by the next success. */
  lastError?: string;
  consecutiveFailures: number;
}

interface CouvertureDB extends DBSchema {
  outbox: {
    key: string;
    value: OutboxRecord;
    indexes: { byStateAndSavedAt: [OutboxState, number]; bySavedAt: number };
  };
  meta: {
    key: string;
    value: unknown;
  };
}

export type Database = IDBPDatabase<CouvertureDB>;

export const DB_NAME = 'couverture';
const DB_VERSION = 1;

let opening: Promise<Database> | undefined;

/**
 * One shared connection per context. If the browser closes it behind our back (iOS does so
 * to backgrounded apps) or another tab upgrades the schema, the next call opens a new one.
 */
export function getDb(): Promise<Database> {
  opening ??= openDB<CouvertureDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('byStateAndSavedAt', ['state', 'savedAt']);
        outbox.createIndex('bySavedAt', 'savedAt');
        db.createObjectStore('meta');
      }
    },
    blocking() {
      // A newer version of the app wants to upgrade the schema: step aside.
      void forgetConnection(true);
    },
    terminated() {
      void forgetConnection(false);
    },
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

async function forgetConnection(close: boolean): Promise<void> {
  const current = opening;
  opening = undefined;
  if (close && current) (await current).close();
}

/** For tests: drop the cached connection so the next call reopens. */
export async function closeDb(): Promise<void> {
  await forgetConnection(true);
}
