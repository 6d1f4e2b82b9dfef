import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { readingLevel } from '../../src/domain/level.ts';
import { canonicalJson } from '../../src/domain/reading.ts';
import { aggregateReadings, coarsenGrid, gridFromJson, gridToJson } from '../../src/domain/grid/grid-accumulator.ts';
import { wholeRange } from '../../src/domain/grid/cell-range.ts';
import { UNATTRIBUTED_CONTRIBUTOR } from '../../src/server/storage/grid-store.ts';
import { MIGRATIONS, openSqliteStore, SCHEMA_VERSION } from '../../src/server/storage/sqlite/sqlite-store.ts';
import { addUser, makeReading, makeReport, NIMES, useTestApps, postReadings, postReports, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

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
    const { lastInsertRowid } = insert.run(
      r.id,
      r.recordedAt,
      Date.parse(r.recordedAt),
      r.lat,
      r.lon,
      r.operator,
      r.technology,
      readingLevel(r),
      r.source,
      canonicalJson(r),
      '2026-05-01T00:00:00.000Z',
    );
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
    expect(SCHEMA_VERSION).toBe(18);
    db.close();

    // The grid was filled from the old readings, all periods and months alike, as a recomputation gives it.
    const upgraded = openSqliteStore(file);
    for (const resolutionM of [1000, 10_000] as const) {
      const range = wholeRange(resolutionM);
      const query = { resolutionM, north: range.north, east: range.east, scope: { kind: 'all' as const } };
      const expected = gridToJson(
        coarsenGrid(
          aggregateReadings(old, () => UNATTRIBUTED_CONTRIBUTOR),
          resolutionM,
        ),
      ).groups;
      const rows = await upgraded.gridGroups(query);
      expect(gridToJson(gridFromJson({ version: 1, resolutionM, groups: rows, residents: [], outsideGrid: 0 })).groups).toEqual(expected);
      if (resolutionM === 1000) {
        const months = await upgraded.gridGroups({ ...query, fromMonth: '0000-01', toMonth: '9999-12' });
        expect(gridToJson(gridFromJson({ version: 1, resolutionM, groups: months, residents: [], outsideGrid: 0 })).groups).toEqual(expected);
      }
    }
    await upgraded.close();

    // The app places the old readings once it starts, so reviewers find them in their département.
    server = await openApp({ store: openSqliteStore(file) });
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

describe('upgrading a database made before campaigns (schema 4 → 5)', () => {
  it('copies campaignId and trackId out of the stored bodies, so that progress counts the older readings', async () => {
    const file = join(tempDir(), 'version-4.sqlite');
    const campaignId = randomUUID();
    const trackId = randomUUID();
    const readings = [
      makeReading({ campaignId, trackId, communeInsee: '34261' }),
      makeReading({ campaignId, operator: 'free', recordedAt: '2026-05-04T11:00:00.000+02:00' }),
      makeReading({ trackId }),
      makeReading(),
    ];
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    for (const migration of MIGRATIONS.slice(0, 4)) db.exec(migration);
    db.pragma('user_version = 4');
    const insert = db.prepare(`
      INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at, account_id, commune, departement, cell_n, cell_e)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '34261', '34', ?, ?)`);
    for (const r of readings) {
      const cell = cellAt(r.lon, r.lat)!;
      insert.run(
        r.id,
        r.recordedAt,
        Date.parse(r.recordedAt),
        r.lat,
        r.lon,
        r.operator,
        r.technology,
        readingLevel(r),
        r.source,
        canonicalJson(r),
        '2026-05-04T10:00:00.000Z',
        cell.north,
        cell.east,
      );
    }
    db.close();

    const store = openSqliteStore(file);
    expect((await store.query({ limit: 10 })).readings).toEqual(readings);
    const tally = await store.campaignTally(campaignId);
    expect(tally).toEqual({
      groups: expect.arrayContaining([
        { cell: cellAt(readings[0]!.lon, readings[0]!.lat), operator: 'orange', technology: '4G', readings: 1 },
        { cell: cellAt(readings[1]!.lon, readings[1]!.lat), operator: 'free', technology: '4G', readings: 1 },
      ]),
      tracks: 1,
      lastReadingAt: '2026-05-04T11:00:00.000+02:00',
    });
    expect(tally.groups).toHaveLength(2);
    expect(await store.listCampaigns({ scope: { kind: 'all' } })).toEqual([]);
    await store.close();

    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const columns = upgraded.prepare('SELECT id, campaign_id, track_id FROM readings ORDER BY seq').all();
    expect(columns).toEqual([
      { id: readings[0]!.id, campaign_id: campaignId, track_id: trackId },
      { id: readings[1]!.id, campaign_id: campaignId, track_id: null },
      { id: readings[2]!.id, campaign_id: null, track_id: trackId },
      { id: readings[3]!.id, campaign_id: null, track_id: null },
    ]);
    // Progress reads the index, not every reading.
    const plan = upgraded.prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM readings WHERE campaign_id = ?').all(campaignId) as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toContain('readings_by_campaign');
    upgraded.close();
  });
});

describe('upgrading a database made before clustered maps (schema 5 → 6)', () => {
  it('indexes the older readings by position, so that they are clustered without reading their bodies', async () => {
    const file = join(tempDir(), 'version-5.sqlite');
    const readings = [makeReading(), makeReading({ ...NIMES, operator: 'free' })];
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    for (const migration of MIGRATIONS.slice(0, 5)) db.exec(migration);
    db.pragma('user_version = 5');
    const insert = db.prepare(`
      INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at, departement)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-05-04T10:00:00.000Z', ?)`);
    for (const r of readings) {
      insert.run(
        r.id,
        r.recordedAt,
        Date.parse(r.recordedAt),
        r.lat,
        r.lon,
        r.operator,
        r.technology,
        readingLevel(r),
        r.source,
        canonicalJson(r),
        r === readings[0] ? '34' : '30',
      );
    }
    db.close();

    const store = openSqliteStore(file);
    const clusters = await store.clusters({ zoom: 8, scope: { kind: 'departement', departement: '30' } });
    expect(clusters.map((c) => c.properties.count)).toEqual([1]);
    expect(clusters[0]!.geometry.coordinates).toEqual([NIMES.lon, NIMES.lat]);
    await store.close();

    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // Everything the clusters of a reviewer read, filters included, is in the index.
    const plan = upgraded
      .prepare(
        `EXPLAIN QUERY PLAN SELECT lat, lon, level FROM readings INDEXED BY readings_by_position
         WHERE lat BETWEEN 43 AND 44 AND lon BETWEEN 3 AND 5 AND departement = '30' AND operator = 'free' AND technology = '4G' AND recorded_at_ms >= 0`,
      )
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toContain('COVERING INDEX readings_by_position');
    upgraded.close();
  });
});

describe('upgrading a database made before report ids were kept (schema 10 → 11)', () => {
  it('takes the stored reports’ ids, so that their resends change nothing, and collapses new repeats once', async () => {
    const file = join(tempDir(), 'version-10.sqlite');
    const kept = makeReport();
    const hidden = makeReport({ ...NIMES });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    for (const migration of MIGRATIONS.slice(0, 10)) db.exec(migration);
    db.pragma('user_version = 10');
    const insert = db.prepare(`
      INSERT INTO reports (id, reported_at_ms, lat, lon, operator, problem, setting, commune, departement, body, received_at, hidden, repeats, placement, placed_with)
      VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, '2026-05-04T10:00:00.000Z', ?, ?, NULL, -1)`);
    const position = db.prepare('INSERT INTO reports_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
    for (const [r, departement, isHidden, repeats] of [
      [kept, '34', 0, 2],
      [hidden, '30', 1, 0],
    ] as const) {
      const { lastInsertRowid } = insert.run(
        r.id,
        Date.parse(r.reportedAt),
        r.lat,
        r.lon,
        r.operator,
        r.problem,
        r.setting,
        departement,
        JSON.stringify(r),
        isHidden,
        repeats,
      );
      position.run(lastInsertRowid, r.lon, r.lon, r.lat, r.lat);
    }
    db.close();

    server = await openApp({ store: openSqliteStore(file) });
    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.prepare('SELECT id, into_id FROM report_ids ORDER BY id').all()).toEqual([kept.id, hidden.id].sort().map((id) => ({ id, into_id: id })));
    upgraded.close();

    // The stored ones sent again: nothing changes. A new repeat counts once, its resend not again.
    const repeat = makeReport({ lat: kept.lat + 0.0001 });
    for (let send = 0; send < 2; send += 1) {
      const answer = await postReports(server.app, [kept, hidden, repeat]);
      expect(answer.json()).toEqual({ accepted: [kept.id, hidden.id, repeat.id], duplicates: [], rejected: [] });
      expect((await server.store.reportById(kept.id))?.repeats).toBe(3);
      expect((await server.store.reportById(hidden.id))?.hidden).toBe(true);
      expect(await server.store.reportById(repeat.id)).toBeUndefined();
    }
  });
});
