import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, type Reading } from '../../src/domain/reading.ts';
import { InvalidCursorError, type ReadingQuery, type ReadingStore } from '../../src/server/storage/reading-store.ts';
import { openSqliteStore, SCHEMA_VERSION } from '../../src/server/storage/sqlite/sqlite-store.ts';
import { makeReading, useTempDir } from './fixtures.ts';

const tempDir = useTempDir();
let files = 0;
const open: ReadingStore[] = [];

function newStore(file = join(tempDir(), `store-${++files}.sqlite`)): { store: ReadingStore; file: string } {
  const store = openSqliteStore(file);
  open.push(store);
  return { store, file };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

/** Every reading the query matches, gathered page by page. */
async function allReadings(store: ReadingStore, query: Omit<ReadingQuery, 'limit' | 'cursor'> = {}): Promise<Reading[]> {
  const seen: Reading[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query({ ...query, limit: 7, ...(cursor && { cursor }) });
    seen.push(...page.readings);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('sqlite store: ingest', () => {
  it('stores new readings and reports retries as duplicates', async () => {
    const { store } = newStore();
    const [a, b] = [makeReading(), makeReading()];
    expect(await store.ingest([a, b])).toEqual({ outcomes: ['accepted', 'accepted'], accepted: [a.id, b.id], duplicates: [], conflicts: [] });
    expect(await store.ingest([b, a])).toEqual({ outcomes: ['duplicate', 'duplicate'], accepted: [], duplicates: [b.id, a.id], conflicts: [] });
    expect((await store.query({ limit: 10 })).readings).toEqual([a, b]);
  });

  it('never overwrites a reading whose id comes back with other content', async () => {
    const { store } = newStore();
    const original = makeReading({ signalDbm: -100 });
    await store.ingest([original]);
    const result = await store.ingest([{ ...original, signalDbm: -120 }]);
    expect(result).toEqual({ outcomes: ['conflict'], accepted: [], duplicates: [], conflicts: [original.id] });
    expect((await store.query({ limit: 10 })).readings).toEqual([original]);
  });

  it('judges an id repeated within one call against its first occurrence', async () => {
    const { store } = newStore();
    const reading = makeReading();
    const result = await store.ingest([reading, { ...reading }, { ...reading, lat: 44 }]);
    expect(result).toEqual({
      outcomes: ['accepted', 'duplicate', 'conflict'],
      accepted: [reading.id],
      duplicates: [reading.id],
      conflicts: [reading.id],
    });
    expect((await store.query({ limit: 10 })).readings).toEqual([reading]);
  });

  it('treats key order as irrelevant when telling a duplicate from a conflict', async () => {
    const { store } = newStore();
    const reading = makeReading();
    await store.ingest([reading]);
    const reversed = Object.fromEntries(Object.entries(reading).reverse()) as Reading;
    expect((await store.ingest([reversed])).outcomes).toEqual(['duplicate']);
  });

  it('commits a call all or nothing', async () => {
    const { store } = newStore();
    const good = makeReading();
    // Not a valid reading (the routes never pass one): recorded_at_ms would be NULL.
    const broken = makeReading({ recordedAt: 'not a date' });
    await expect(store.ingest([good, broken])).rejects.toThrow();
    expect((await store.query({ limit: 10 })).readings).toEqual([]);
  });

  it('keeps the body as canonical JSON and the filter columns beside it', async () => {
    const { store, file } = newStore();
    const reading = makeReading({ signalDbm: -95, recordedAt: '2026-05-04T10:15:00.000+02:00' });
    await store.ingest([reading]);
    await store.close();
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT * FROM readings').get() as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({
      seq: 1,
      id: reading.id,
      recorded_at: reading.recordedAt,
      recorded_at_ms: Date.parse('2026-05-04T08:15:00Z'),
      lat: reading.lat,
      lon: reading.lon,
      operator: 'orange',
      technology: '4G',
      level: 'TBC',
      source: 'agent',
      body: canonicalJson(reading),
    });
    expect(Number.isNaN(Date.parse(row.received_at as string))).toBe(false);
  });
});

describe('sqlite store: query', () => {
  it('pages through every reading exactly once, in the order received', async () => {
    const { store } = newStore();
    const readings = Array.from({ length: 50 }, () => makeReading());
    await store.ingest(readings.slice(0, 20));
    await store.ingest(readings.slice(20));
    expect((await allReadings(store)).map((r) => r.id)).toEqual(readings.map((r) => r.id));
  });

  it('gives no cursor when the page holds the last reading', async () => {
    const { store } = newStore();
    await store.ingest([makeReading(), makeReading()]);
    expect((await store.query({ limit: 2 })).nextCursor).toBeUndefined();
    const first = await store.query({ limit: 1 });
    expect(first.nextCursor).toEqual(expect.any(String));
    expect((await store.query({ limit: 1, cursor: first.nextCursor! })).nextCursor).toBeUndefined();
  });

  it('keeps exactly the points inside a bounding box, edges included', async () => {
    const { store } = newStore();
    const box = { minLon: 3.5, minLat: 43.7, maxLon: 3.6, maxLat: 43.8 };
    const inside = [makeReading({ lon: 3.55, lat: 43.75 }), makeReading({ lon: 3.5, lat: 43.7 }), makeReading({ lon: 3.6, lat: 43.8 })];
    // Closer to the edges than the R*Tree's 32-bit floats can tell apart.
    const outside = [
      makeReading({ lon: 3.6 + 1e-9, lat: 43.75 }),
      makeReading({ lon: 3.55, lat: 43.7 - 1e-9 }),
      makeReading({ lon: 4, lat: 43.75 }),
      makeReading({ lon: 3.55, lat: -43.75 }),
    ];
    await store.ingest([...outside, ...inside]);
    expect((await allReadings(store, { bbox: box })).map((r) => r.id).sort()).toEqual(inside.map((r) => r.id).sort());
  });

  it('keeps readings recorded at or after `since`, whatever their UTC offset', async () => {
    const { store } = newStore();
    const before = makeReading({ recordedAt: '2026-05-04T11:59:59.999+02:00' });
    const atSince = makeReading({ recordedAt: '2026-05-04T10:00:00Z' });
    const after = makeReading({ recordedAt: '2026-05-04T08:30:00-02:00' });
    await store.ingest([before, atSince, after]);
    expect((await allReadings(store, { since: '2026-05-04T12:00:00+02:00' })).map((r) => r.id)).toEqual([atSince.id, after.id]);
  });

  it('combines bbox, since and paging', async () => {
    const { store } = newStore();
    const wanted = Array.from({ length: 15 }, (_, i) => makeReading({ lon: 3 + i / 100, recordedAt: '2026-05-03T00:00:00Z' }));
    const tooOld = Array.from({ length: 5 }, () => makeReading({ lon: 3.01, recordedAt: '2026-04-01T00:00:00Z' }));
    const elsewhere = Array.from({ length: 5 }, () => makeReading({ lon: 5, recordedAt: '2026-05-03T00:00:00Z' }));
    await store.ingest([...tooOld, ...wanted.slice(0, 7), ...elsewhere, ...wanted.slice(7)]);
    const seen = await allReadings(store, { since: '2026-05-01', bbox: { minLon: 2.9, minLat: 43, maxLon: 3.2, maxLat: 44 } });
    expect(seen.map((r) => r.id)).toEqual(wanted.map((r) => r.id));
  });

  it.each(['', 'nope', 'MA', 'LTE', 'MS4w', 'MQ==', 'MDE', 'OTAwNzE5OTI1NDc0MDk5Mw'])('refuses the cursor %j', async (cursor) => {
    const { store } = newStore();
    await store.ingest([makeReading()]);
    await expect(store.query({ limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('sqlite store: file', () => {
  it('keeps its readings when reopened', async () => {
    const { store, file } = newStore();
    const readings = [makeReading(), makeReading()];
    await store.ingest(readings);
    await store.close();
    const reopened = newStore(file).store;
    expect((await reopened.query({ limit: 10 })).readings).toEqual(readings);
    expect((await reopened.ingest([readings[0]!])).outcomes).toEqual(['duplicate']);
  });

  it('records its schema version and uses write-ahead logging', async () => {
    const { store, file } = newStore();
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses, untouched, a file written by a newer server', async () => {
    const file = join(tempDir(), 'from-the-future.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1)');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    expect(() => openSqliteStore(file)).toThrow(/plus récent/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('can be closed twice', async () => {
    const { store } = newStore();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});
