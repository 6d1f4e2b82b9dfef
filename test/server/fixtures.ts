import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import type { ReadingStore } from '../../src/server/storage/reading-store.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite-store.ts';

/** The server's clock in tests: readings are recorded a little before it. */
export const NOW = Date.parse('2026-05-04T12:00:00Z');

export const TEST_TILES = { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'Tuiles de test', maxZoom: 18 };

/** A valid reading (4G, 3 bars, Saint-Guilhem-le-Désert) with a fresh id. */
export function makeReading(overrides: Partial<Reading> = {}): Reading {
  return {
    id: randomUUID(),
    recordedAt: '2026-05-04T10:15:00.000+02:00',
    lat: 43.7339,
    lon: 3.5494,
    accuracyM: 12,
    operator: 'orange',
    technology: '4G',
    signalDbm: -105,
    setting: 'outdoor',
    voice: 'ok',
    source: 'agent',
    ...overrides,
  };
}

/** A fresh temporary directory for the calling test file, removed after its last test. */
export function useTempDir(): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'couverture-server-test-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('useTempDir(): the directory exists only while tests run');
    return dir;
  };
}

export interface TestApp {
  app: FastifyInstance;
  store: ReadingStore;
  /** The SQLite file behind the store. */
  file: string;
  close(): Promise<void>;
}

let databases = 0;

/** The real app on a new SQLite file in `dir`, with the test clock and tiles. */
export function openTestApp(dir: string, options: Partial<AppOptions> = {}): TestApp {
  const file = join(dir, `couverture-${++databases}.sqlite`);
  const store = openSqliteStore(file);
  const app = buildApp({ store, tiles: TEST_TILES, now: () => NOW, ...options });
  return {
    app,
    store,
    file,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export function postReadings(app: FastifyInstance, readings: unknown[]): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/readings', payload: { readings } });
}
