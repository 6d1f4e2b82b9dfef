import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readingLevel } from '../../src/domain/level.ts';
import { canonicalJson } from '../../src/domain/reading.ts';
import { aggregateReadings, coarsenGrid, gridFromJson, gridToJson } from '../../src/domain/grid/grid-accumulator.ts';
import { wholeRange } from '../../src/server/grid/coverage.ts';
import { UNATTRIBUTED_CONTRIBUTOR } from '../../src/server/storage/grid-store.ts';
import { MIGRATIONS, openSqliteStore, SCHEMA_VERSION } from '../../src/server/storage/sqlite-store.ts';
import { addUser, makeReading, NIMES, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A database exactly as the server of schema version 1 (before accounts) left it. */
function makeVersion1Database(file: string, readings: ReturnType<typeof makeReading>[]): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(MIGRATIONS[0]!);
  db.pragma('user_version = 1');
  const insert = db.prepare(`
    INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const position = db.prepare('INSERT INTO readings_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  for (const r of readings) {
    const { lastInsertRowid } = insert.run(r.id, r.recordedAt, Date.parse(r.recordedAt), r.lat, r.lon, r.operator, r.technology, readingLevel(r), r.source, canonicalJson(r), '2026-05-01T00:00:00.000Z');
    position.run(lastInsertRowid, r.lon, r.lon, r.lat, r.lat);
  }
  db.close();
}

describe('upgrading a database made before accounts (schema 1 → 2)', () => {
  it('keeps every reading, unattributed, and places them in their communes at start', async () => {
    const file = join(tempDir(), 'version-1.sqlite');
    const old = [makeReading(), makeReading({ ...NIMES })];
    makeVersion1Database(file, old);

    const store = openSqliteStore(file);
    expect((await store.query({ limit: 10 })).readings).toEqual(old);
    expect(await store.attribution(old[0]!.id)).toEqual({ accountId: null, source: 'agent' });
    await store.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(4);
    db.close();

    // The grid was filled from the old readings, all periods and months alike, as a recomputation gives it.
    const upgraded = openSqliteStore(file);
    for (const resolutionM of [1000, 10_000] as const) {
      const range = wholeRange(resolutionM);
      const query = { resolutionM, north: range.north, east: range.east, scope: { kind: 'all' as const } };
      const expected = gridToJson(coarsenGrid(aggregateReadings(old, () => UNATTRIBUTED_CONTRIBUTOR), resolutionM)).groups;
      const rows = await upgraded.gridGroups(query);
      expect(gridToJson(gridFromJson({ version: 1, resolutionM, groups: rows, residents: [], outsideGrid: 0 })).groups).toEqual(expected);
      if (resolutionM === 1000) {
        const months = await upgraded.gridGroups({ ...query, fromMonth: '0000-01', toMonth: '9999-12' });
        expect(gridToJson(gridFromJson({ version: 1, resolutionM, groups: months, residents: [], outsideGrid: 0 })).groups).toEqual(expected);
      }
    }
    await upgraded.close();

    // The app places the old readings once it starts, so reviewers find them in their département.
    server = openTestApp(tempDir(), { store: openSqliteStore(file) });
    server = { ...server, file };
    const reviewer30 = await addUser(server.app, { role: 'reviewer', departement: '30' });
    const seen = await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: reviewer30.headers });
    expect(seen.json().features.map((f: { id: string; properties: { commune: string } }) => [f.id, f.properties.commune])).toEqual([[old[1]!.id, '30189']]);

    // A reading sent again after the upgrade is still a duplicate, and new ones go on.
    const agent = await addUser(server.app);
    const fresh = makeReading();
    expect((await postReadings(server.app, [old[0]!, fresh], agent)).json()).toMatchObject({ accepted: [fresh.id], duplicates: [old[0]!.id] });
  });

  it('upgrades a version-1 file with no readings at all', async () => {
    const file = join(tempDir(), 'empty-version-1.sqlite');
    makeVersion1Database(file, []);
    const store = openSqliteStore(file);
    expect((await store.query({ limit: 10 })).readings).toEqual([]);
    expect(await store.listUsers()).toEqual([]);
    await store.close();
  });
});
