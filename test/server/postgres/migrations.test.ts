import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { cellAt } from '../../../src/domain/grid/cell-id.ts';
import { readingLevel } from '../../../src/domain/level.ts';
import { canonicalJson, type Reading } from '../../../src/domain/reading.ts';
import type { Report } from '../../../src/domain/report.ts';
import { hashPassword } from '../../../src/server/auth/passwords.ts';
import { openStore, type StoreLocation } from '../../../src/server/storage/open-store.ts';
import { createPool } from '../../../src/server/storage/postgres/postgres-db.ts';
import {
  migratePostgres,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
  postgresSchemaVersion,
} from '../../../src/server/storage/postgres/postgres-migrations.ts';
import { runServerCommand } from '../../support/server-process.ts';
import { newTestLocation, withClient } from '../../support/test-store.ts';
import { makeReading, makeReport, MONTPELLIER, openTestApp, signIn, TEST_PASSWORD, TEST_PASSWORD_COST, useTempDir, type TestApp } from '../fixtures.ts';

/**
 * PostgreSQL's own migrations (postgres-migrations.ts), run only in the server-postgres
 * project: each test works in a fresh schema of COUVERTURE_TEST_POSTGRES_URL.
 */

const tempDir = useTempDir();

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyLocation(): Promise<Extract<StoreLocation, { kind: 'postgres' }>> {
  const { location, drop } = await newTestLocation(tempDir(), 'postgres');
  cleanups.push(drop);
  if (location.kind !== 'postgres') throw new Error('a PostgreSQL location was asked for');
  return location;
}

/** A pool on the location, closed after the test. */
function poolOn(location: { url: string }) {
  const pool = createPool(location.url, { max: 2 });
  cleanups.push(() => pool.end());
  return pool;
}

const query = <T extends Record<string, unknown>>(location: { url: string }, sql: string, values: unknown[] = []) =>
  withClient(location.url, async (client) => (await client.query<T>(sql, values)).rows);

/** `npm run migrate` on the database at `databaseUrl`. */
function migrateCommand(databaseUrl: string) {
  return runServerCommand('migrate.ts', [], { DATA_DIR: tempDir(), DATABASE_URL: databaseUrl });
}

/** Every table the migrations create, and the table that counts them. */
/** Every table a migration creates and no later one drops. */
const DROPPED_TABLES = new Set([...POSTGRES_MIGRATIONS.join('\n').matchAll(/DROP TABLE (?:IF EXISTS )?(\w+)/g)].map((match) => match[1]!));
const EXPECTED_TABLES = [...POSTGRES_MIGRATIONS.join('\n').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)]
  .map((match) => match[1]!)
  .filter((table) => !DROPPED_TABLES.has(table))
  .concat('schema_migrations')
  .sort();

const tablesOf = async (location: { url: string }) =>
  (
    await query<{ name: string }>(
      location,
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name COLLATE "C"',
    )
  ).map((row) => row.name);

describe('a PostgreSQL database made by schema version 1', () => {
  /** Rows as version 1's server wrote them: a reviewer, an agent's campaign, and its readings. */
  async function makeVersion1Database(location: { url: string }) {
    const pool = poolOn(location);
    expect(await migratePostgres(pool, 1)).toEqual([1]);
    const user = {
      id: randomUUID(),
      email: 'ddt34@example.fr',
      passwordHash: await hashPassword(TEST_PASSWORD, TEST_PASSWORD_COST),
      at: '2026-04-01T08:00:00.000Z',
    };
    await pool.query(
      `INSERT INTO users (id, email, name, password_hash, role, communes, departement, disabled, created_at, updated_at)
       VALUES ($1, $2, 'DDT Hérault', $3, 'reviewer', '[]', '34', false, $4, $4)`,
      [user.id, user.email, user.passwordHash, user.at],
    );
    const campaignId = randomUUID();
    await pool.query(
      `INSERT INTO campaigns (id, name, commune, commune_name, departement, starts_on, ends_on, operators, test_number, created_by, created_at, updated_at)
       VALUES ($1, 'Printemps', '34261', 'Saint-Guilhem-le-Désert', '34', '2026-05-01', '2026-05-31', '["orange","sfr"]', NULL, $2, $3, $3)`,
      [campaignId, user.id, user.at],
    );
    const trackId = randomUUID();
    const readings: Reading[] = [
      makeReading({ recordedAt: '2026-05-04T10:00:00.000+02:00', campaignId, trackId }),
      makeReading({ recordedAt: '2026-05-04T10:05:00.000+02:00', campaignId, trackId, operator: 'sfr' }),
      makeReading({ recordedAt: '2026-05-03T09:00:00.000+02:00', ...MONTPELLIER }),
    ];
    for (const reading of readings) {
      const cell = cellAt(reading.lon, reading.lat);
      const commune = reading.lat === MONTPELLIER.lat ? '34172' : '34261';
      await pool.query(
        `INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at,
                               account_id, commune, departement, outside_communes, cell_n, cell_e, campaign_id, track_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, '34', false, $13, $14, $15, $16)`,
        [
          reading.id,
          reading.recordedAt,
          Date.parse(reading.recordedAt),
          reading.lat,
          reading.lon,
          reading.operator,
          reading.technology,
          readingLevel(reading),
          reading.source,
          canonicalJson(reading),
          '2026-05-04T09:00:00.000Z',
          commune,
          cell?.north ?? null,
          cell?.east ?? null,
          reading.campaignId ?? null,
          reading.trackId ?? null,
        ],
      );
    }
    return { user, campaignId, readings };
  }

  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is brought to this version by opening the store, every row kept and readable', async () => {
    const location = await emptyLocation();
    const { user, campaignId, readings } = await makeVersion1Database(location);
    const before = await query(location, 'SELECT * FROM readings ORDER BY seq');
    expect(await postgresSchemaVersion(poolOn(location))).toBe(1);

    const store = await openStore(location);
    cleanups.push(() => store.close());
    expect(await postgresSchemaVersion(poolOn(location))).toBe(POSTGRES_SCHEMA_VERSION);
    expect((await query<{ version: number }>(location, 'SELECT version FROM schema_migrations ORDER BY version')).map((row) => row.version)).toEqual(
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, index) => index + 1),
    );
    // Kept as they were; migration 4 adds how each was placed (by a centre when it has a commune) and marks it never placed with the current data; migration 7 no protocol (the map check's).
    const placed = before.map((row) => ({
      ...row,
      placement: (row as { commune: string | null }).commune === null ? null : 'centre',
      placed_with: '-1',
      protocol: null,
    }));
    expect(await query(location, 'SELECT * FROM readings ORDER BY seq')).toEqual(placed);

    // Through the store, as the upgraded server reads them.
    expect(await store.userByEmail(user.email)).toMatchObject({
      id: user.id,
      role: 'reviewer',
      departement: '34',
      communes: [],
      passwordHash: user.passwordHash,
    });
    expect(await store.campaignById(campaignId)).toMatchObject({ operators: ['orange', 'sfr'], agentIds: [] });
    const tally = await store.campaignTally(campaignId);
    expect(tally).toMatchObject({ tracks: 1, lastReadingAt: readings[1]!.recordedAt });
    expect(tally.groups.map((group) => [group.operator, group.readings])).toEqual([
      ['orange', 1],
      ['sfr', 1],
    ]);
    expect(await store.deleteCampaign(campaignId)).toBe('in-use');
    expect((await store.query({ limit: 10 })).readings).toEqual(expect.arrayContaining(readings));

    // The upgraded server lets version 1's reviewer sign in, and still knows its readings.
    server = await openTestApp(tempDir(), { store });
    const headers = await signIn(server.app, user.email);
    const resent = await server.app.inject({ method: 'POST', url: '/api/v1/readings', headers, payload: { readings: [readings[0]] } });
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ accepted: [], duplicates: [readings[0]!.id] });
  });
});

describe('a PostgreSQL database made before report ids were kept (schema 5 → 6)', () => {
  it('takes the stored reports’ ids, so that their resends change nothing, and collapses new repeats once', async () => {
    const location = await emptyLocation();
    const pool = poolOn(location);
    expect(await migratePostgres(pool, 5)).toEqual([1, 2, 3, 4, 5]);
    const kept = makeReport();
    const hidden = makeReport({ ...MONTPELLIER });
    for (const [r, isHidden, repeats] of [
      [kept, false, 2],
      [hidden, true, 0],
    ] as const) {
      await pool.query(
        `INSERT INTO reports (id, reported_at_ms, lat, lon, operator, problem, setting, commune, departement, body, received_at, hidden, repeats)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, '34', $8, '2026-05-04T10:00:00.000Z', $9, $10)`,
        [r.id, Date.parse(r.reportedAt), r.lat, r.lon, r.operator, r.problem, r.setting, JSON.stringify(r), isHidden, repeats],
      );
    }

    const store = await openStore(location);
    cleanups.push(() => store.close());
    expect(await postgresSchemaVersion(pool)).toBe(POSTGRES_SCHEMA_VERSION);
    expect(await query(location, 'SELECT id, into_id FROM report_ids ORDER BY id COLLATE "C"')).toEqual(
      [kept.id, hidden.id].sort().map((id) => ({ id, into_id: id })),
    );

    // The stored ones sent again: nothing changes. A new repeat counts once, its resend not again.
    const items = (list: Report[]) => list.map((report) => ({ report, commune: null, departement: '34' }));
    const repeat = makeReport({ lat: kept.lat + 0.0001 });
    for (let send = 0; send < 2; send += 1) {
      expect(await store.ingestReports(items([kept, hidden, repeat]), { receivedAt: '2026-05-04T12:00:00.000Z' })).toEqual([
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
      expect((await store.reportById(kept.id))?.repeats).toBe(3);
      expect((await store.reportById(hidden.id))?.hidden).toBe(true);
      expect(await store.reportById(repeat.id)).toBeUndefined();
    }
  });
});

describe('npm run migrate on PostgreSQL', () => {
  it('brings a fresh database to this version and says so, without the password', { timeout: 60_000 }, async () => {
    const location = await emptyLocation();
    const result = await migrateCommand(location.url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`à jour : schéma ${POSTGRES_SCHEMA_VERSION} \\(PostgreSQL\\)\\.\\n$`));
    const password = new URL(location.url).password;
    expect(result.stdout).not.toContain(`:${password}@`);
    expect(await postgresSchemaVersion(poolOn(location))).toBe(POSTGRES_SCHEMA_VERSION);
    expect(await tablesOf(location)).toEqual(EXPECTED_TABLES);

    // Run again: nothing left to do, nothing changed.
    expect((await migrateCommand(location.url)).code).toBe(0);
    expect(await query(location, 'SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: POSTGRES_SCHEMA_VERSION }]);
  });

  it('refuses a database a newer server has migrated, in French, touching nothing', { timeout: 60_000 }, async () => {
    const location = await emptyLocation();
    await migratePostgres(poolOn(location));
    await query(location, 'INSERT INTO schema_migrations (version) VALUES ($1)', [POSTGRES_SCHEMA_VERSION + 1]);
    const newer = `la base est au schéma ${POSTGRES_SCHEMA_VERSION + 1}, plus récent que celui de ce serveur (${POSTGRES_SCHEMA_VERSION}) : lancez une version à jour de Couverture.`;

    await expect(openStore(location)).rejects.toThrow(newer);
    const result = await migrateCommand(location.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(newer);
    expect(await postgresSchemaVersion(poolOn(location))).toBe(POSTGRES_SCHEMA_VERSION + 1);
    expect(await tablesOf(location)).toEqual(EXPECTED_TABLES);
  });
});

describe('two processes starting on one empty database', () => {
  it('both succeed: one migrates, the other waits and finds nothing left to do', async () => {
    const location = await emptyLocation();
    const applied = await Promise.all([migratePostgres(poolOn(location)), migratePostgres(poolOn(location))]);
    const all = Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, index) => index + 1);
    expect([...applied].sort((a, b) => a.length - b.length)).toEqual([[], all]);
    expect(await tablesOf(location)).toEqual(EXPECTED_TABLES);
    expect((await query<{ version: number }>(location, 'SELECT version FROM schema_migrations ORDER BY version')).map((row) => row.version)).toEqual(all);
  });

  it('both succeed on a database neither has seen, through the store', async () => {
    const location = await emptyLocation();
    const stores = await Promise.all([openStore(location), openStore(location)]);
    for (const store of stores) cleanups.push(() => store.close());
    expect(await tablesOf(location)).toEqual(EXPECTED_TABLES);
    expect(await postgresSchemaVersion(poolOn(location))).toBe(POSTGRES_SCHEMA_VERSION);
  });
});
