import Database from 'better-sqlite3';
import { readingLevel } from '../../domain/level.ts';
import { canonicalJson, type Reading } from '../../domain/reading.ts';
import { InvalidCursorError, type IngestOutcome, type IngestResult, type ReadingPage, type ReadingQuery, type ReadingStore } from './reading-store.ts';

/**
 * Schema versions, applied in order; `PRAGMA user_version` counts those already run.
 * Append only: an entry that has run on some server must never change, and no entry may
 * drop or rewrite readings.
 */
const MIGRATIONS: readonly string[] = [
  // 1. Readings and their positions.
  //  - seq is the table's rowid, so it grows in the order readings arrive; AUTOINCREMENT
  //    keeps a value from ever being reused, which keeps paging cursors meaningful.
  //  - body is the reading as received (canonical JSON), what every answer is built from;
  //    the other columns are copies for filtering. level is the rule's verdict at ingest.
  //  - readings_position is an R*Tree over the points, for bounding-box queries.
  `
  CREATE TABLE readings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    operator TEXT NOT NULL,
    technology TEXT NOT NULL,
    level TEXT NOT NULL,
    source TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE readings_position USING rtree(seq, min_lon, max_lon, min_lat, max_lat);
  `,
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

// The R*Tree stores 32-bit floats rounded outwards, so it finds a superset of the points in
// the box; the comparisons on readings.lon/lat then keep the exact answer.
const PAGE_SQL = `
  SELECT seq, body FROM readings
  WHERE seq > @after AND (@since IS NULL OR recorded_at_ms >= @since)
  ORDER BY seq LIMIT @take`;
const PAGE_IN_BBOX_SQL = `
  SELECT r.seq, r.body FROM readings_position p JOIN readings r ON r.seq = p.seq
  WHERE p.min_lon <= @maxLon AND p.max_lon >= @minLon AND p.min_lat <= @maxLat AND p.max_lat >= @minLat
    AND r.lon BETWEEN @minLon AND @maxLon AND r.lat BETWEEN @minLat AND @maxLat
    AND r.seq > @after AND (@since IS NULL OR r.recorded_at_ms >= @since)
  ORDER BY r.seq LIMIT @take`;

interface PageRow {
  seq: number;
  body: string;
}

/** Opens (creating or migrating as needed) the SQLite database at `file`. */
export function openSqliteStore(file: string): ReadingStore {
  const db = new Database(file);
  try {
    // Another process (a backup, the sqlite3 shell) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    // Checked before anything writes to the file, the journal mode included.
    const version = schemaVersion(db, file);
    db.pragma('journal_mode = WAL');
    // Safe with WAL: a power cut may lose the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    migrate(db, version);
  } catch (error) {
    db.close();
    throw error;
  }

  const insertReading = db.prepare<[string, string, number, number, number, string, string, string, string, string, string]>(`
    INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO NOTHING`);
  const insertPosition = db.prepare<[number | bigint, number, number, number, number]>(
    'INSERT INTO readings_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)',
  );
  const storedBody = db.prepare<[string], string>('SELECT body FROM readings WHERE id = ?').pluck();
  const page = db.prepare<{ after: number; since: number | null; take: number }, PageRow>(PAGE_SQL);
  const pageInBbox = db.prepare<{ after: number; since: number | null; take: number; minLon: number; minLat: number; maxLon: number; maxLat: number }, PageRow>(
    PAGE_IN_BBOX_SQL,
  );

  const ingestAll = db.transaction((readings: Reading[]): IngestResult => {
    const receivedAt = new Date().toISOString();
    const result: IngestResult = { outcomes: [], accepted: [], duplicates: [], conflicts: [] };
    for (const reading of readings) {
      const body = canonicalJson(reading);
      const { lat, lon } = reading;
      const inserted = insertReading.run(
        reading.id,
        reading.recordedAt,
        Date.parse(reading.recordedAt),
        lat,
        lon,
        reading.operator,
        reading.technology,
        readingLevel(reading),
        reading.source,
        body,
        receivedAt,
      );
      let outcome: IngestOutcome;
      if (inserted.changes === 1) {
        insertPosition.run(inserted.lastInsertRowid, lon, lon, lat, lat);
        outcome = 'accepted';
      } else {
        // The id is taken, by an earlier request or earlier in this one.
        outcome = storedBody.get(reading.id) === body ? 'duplicate' : 'conflict';
      }
      result.outcomes.push(outcome);
      const list = outcome === 'accepted' ? result.accepted : outcome === 'duplicate' ? result.duplicates : result.conflicts;
      list.push(reading.id);
    }
    return result;
  });

  return {
    async ingest(readings) {
      // IMMEDIATE takes the write lock up front, so a concurrent writer makes this wait
      // (busy_timeout) instead of failing half-way when a read lock cannot be upgraded.
      return ingestAll.immediate(readings);
    },

    async query({ bbox, since, limit, cursor }): Promise<ReadingPage> {
      const sinceMs = since === undefined ? null : Date.parse(since);
      if (Number.isNaN(sinceMs)) throw new RangeError(`since is not a date: ${since}`);
      const params = { after: cursor === undefined ? 0 : decodeCursor(cursor), since: sinceMs, take: limit + 1 };
      const rows = bbox ? pageInBbox.all({ ...params, ...bbox }) : page.all(params);
      const more = rows.length > limit;
      const kept = more ? rows.slice(0, limit) : rows;
      return {
        readings: kept.map((row) => JSON.parse(row.body) as Reading),
        ...(more && { nextCursor: encodeCursor(kept[kept.length - 1]!.seq) }),
      };
    },

    async close() {
      if (db.open) db.close();
    },
  };
}

/** The file's schema version, refusing a file that a newer server has written. */
function schemaVersion(db: Database.Database, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    // This server could misread such a file, so it must not touch it.
    throw new Error(
      `${file} est au schéma ${version}, plus récent que celui de ce serveur (${SCHEMA_VERSION}) : lancez une version à jour de Couverture.`,
    );
  }
  return version;
}

function migrate(db: Database.Database, from: number): void {
  for (let next = from; next < SCHEMA_VERSION; next += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}

// A cursor is the seq of the last reading of the previous page. Opaque to clients, so that
// its form can change; decoding insists on the exact form made here.
function encodeCursor(seq: number): string {
  return Buffer.from(String(seq)).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = Number(text);
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(seq) || encodeCursor(seq) !== cursor) {
    throw new InvalidCursorError(`Not a cursor made by this store: ${cursor}`);
  }
  return seq;
}
