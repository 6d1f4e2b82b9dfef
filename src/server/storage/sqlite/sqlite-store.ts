import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { CellRef } from '../../../domain/grid/cell-id.ts';
import { readingLevel } from '../../../domain/level.ts';
import { canonicalJson, type Reading } from '../../../domain/reading.ts';
import type { Report } from '../../../domain/report.ts';
import { DuplicateEmailError } from '../account-store.ts';
import {
  NEVER_PLACED,
  UNPLACED,
  type IngestOutcome,
  type IngestResult,
  type ReadingPage,
  type ReadingPlacement,
  type ReadingScope,
} from '../reading-store.ts';
import { baseCellOf, BASE_RESOLUTION_M } from '../grid-batch.ts';
import { decodeCursor, encodeCursor } from '../page-cursor.ts';
import type { ReportIngestItem, ReportIngestOptions, ReportOutcome } from '../report-store.ts';
import { repeatSearch, repeats } from '../report-collapse.ts';
import { keptReportPage } from '../report-page.ts';
import { columnChanges, toAuditEntry, toReadingPage, toReport, toSession, toToken, toUser, USER_COLUMNS, type SessionRow, type TokenRow } from '../rows.ts';
import { createSqliteGrid } from './sqlite-grid.ts';
import { createSqliteCampaigns } from './sqlite-campaigns.ts';
import { createSqliteReadingClusters } from './sqlite-reading-clusters.ts';
import { filterParams, FILTER_SQL, SCOPE_SQL } from './sqlite-reading-filter.ts';
import { auditRow, readingRow, reportRow, userRow, type SqliteAuditRow, type SqliteReadingRow, type SqliteReportRow, type SqliteUserRow } from './sqlite-rows.ts';
import { createSqliteZones } from './sqlite-zones.ts';
import { createSqlitePlaces } from './sqlite-places.ts';
import type { Store } from '../store.ts';

/**
 * Schema versions, applied in order; `PRAGMA user_version` counts those already run.
 * Append only: an entry that has run on some server must never change, and no entry may
 * drop or rewrite readings.
 */
export const MIGRATIONS: readonly string[] = [
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
  // 2. Accounts, attribution, residents' reports, audit log (issue 3).
  //  - Readings gain who sent them and where they lie. Readings stored before keep NULLs
  //    (account_id stays NULL: nobody can tell who sent them); placeUnplaced() fills their
  //    commune at start.
  //  - Session and API tokens are stored as SHA-256 hashes only.
  //  - communes is a JSON array of INSEE codes (agents).
  `
  ALTER TABLE readings ADD COLUMN account_id TEXT;
  ALTER TABLE readings ADD COLUMN commune TEXT;
  ALTER TABLE readings ADD COLUMN departement TEXT;
  ALTER TABLE readings ADD COLUMN outside_communes INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX readings_by_account ON readings (account_id, seq);
  CREATE INDEX readings_by_commune ON readings (commune, seq);
  CREATE INDEX readings_by_departement ON readings (departement, seq);

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'reviewer', 'admin')),
    communes TEXT NOT NULL DEFAULT '[]',
    departement TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions (user_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

  CREATE TABLE reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    reported_at_ms INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    operator TEXT NOT NULL,
    problem TEXT NOT NULL,
    setting TEXT NOT NULL,
    commune TEXT,
    departement TEXT,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    hidden_reason TEXT,
    repeats INTEGER NOT NULL DEFAULT 0
  );
  CREATE VIRTUAL TABLE reports_position USING rtree(seq, min_lon, max_lon, min_lat, max_lat);

  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    details TEXT NOT NULL
  );
  `,
  // 3. The coverage grid and candidate zones (issue 4).
  //  - Readings gain their 200 m INSPIRE cell (EPSG:3035 south-west corner, metres), to find
  //    a cell's or a zone's readings; NULL off EPSG:3035's area.
  //  - grid_groups: one row per cell × operator × technology × setting × month (UTC, of
  //    recordedAt) × département (of the readings; '' when not placed), at 200 m and 1 km
  //    (resolution_m), holding the GroupStats JSON of its readings. Kept up to date in the
  //    readings' insert transaction; filled from the stored readings by this migration's
  //    backfill (MIGRATION_STEPS). The cell id is (resolution_m, north, east) spelled out.
  //  - grid_reports: residents' visible reports per cell × operator × month × département;
  //    hiding a report takes it out, showing it again puts it back.
  //  - zones and their workflow history; cells and communes are JSON arrays.
  `
  ALTER TABLE readings ADD COLUMN cell_n INTEGER;
  ALTER TABLE readings ADD COLUMN cell_e INTEGER;
  CREATE INDEX readings_by_cell ON readings (cell_n, cell_e);

  CREATE TABLE grid_groups (
    resolution_m INTEGER NOT NULL,
    north INTEGER NOT NULL,
    east INTEGER NOT NULL,
    operator TEXT NOT NULL,
    technology TEXT NOT NULL,
    setting TEXT NOT NULL,
    month TEXT NOT NULL,
    departement TEXT NOT NULL,
    stats TEXT NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, technology, setting, month, departement)
  ) WITHOUT ROWID;
  CREATE TABLE grid_reports (
    resolution_m INTEGER NOT NULL,
    north INTEGER NOT NULL,
    east INTEGER NOT NULL,
    operator TEXT NOT NULL,
    month TEXT NOT NULL,
    departement TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, month, departement)
  ) WITHOUT ROWID;

  CREATE TABLE zones (
    id TEXT PRIMARY KEY,
    departement TEXT NOT NULL,
    name TEXT NOT NULL,
    need TEXT NOT NULL,
    need_detail TEXT,
    notes TEXT,
    cells TEXT NOT NULL,
    communes TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX zones_by_departement ON zones (departement, created_at);
  CREATE TABLE zone_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id TEXT NOT NULL REFERENCES zones (id),
    at TEXT NOT NULL,
    by_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX zone_history_by_zone ON zone_history (zone_id, seq);
  `,
  // 4. The coverage grid for all periods (every month merged), so that a view without a
  //    period reads one row per cell × operator × technology × setting × département instead
  //    of one per month: grid_totals and grid_report_totals, as grid_groups and grid_reports
  //    without month, at 1 km and 10 km. Kept up to date with the month rows, in the
  //    same transactions. This migration's step refills the whole grid from the readings
  //    and visible reports (it also does migration 3's filling, which moved here).
  `
  CREATE TABLE grid_totals (
    resolution_m INTEGER NOT NULL,
    north INTEGER NOT NULL,
    east INTEGER NOT NULL,
    operator TEXT NOT NULL,
    technology TEXT NOT NULL,
    setting TEXT NOT NULL,
    departement TEXT NOT NULL,
    stats TEXT NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, technology, setting, departement)
  ) WITHOUT ROWID;
  CREATE TABLE grid_report_totals (
    resolution_m INTEGER NOT NULL,
    north INTEGER NOT NULL,
    east INTEGER NOT NULL,
    operator TEXT NOT NULL,
    departement TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, departement)
  ) WITHOUT ROWID;
  `,
  // 5. Survey campaigns (issue 5).
  //  - Readings gain the campaign and the « Parcours » they were recorded for, copied from
  //    the body at ingest (the body stays the reference) to count a campaign's progress and
  //    gather a track's points; readings stored before get theirs from their body here.
  //    Partial indexes: most readings belong to neither.
  //  - campaigns: one commune over a period; operators is a JSON array. campaign_agents:
  //    the agents assigned, in the order given (position).
  `
  ALTER TABLE readings ADD COLUMN campaign_id TEXT;
  ALTER TABLE readings ADD COLUMN track_id TEXT;
  UPDATE readings SET campaign_id = json_extract(body, '$.campaignId'), track_id = json_extract(body, '$.trackId')
  WHERE json_extract(body, '$.campaignId') IS NOT NULL OR json_extract(body, '$.trackId') IS NOT NULL;
  CREATE INDEX readings_by_campaign ON readings (campaign_id, seq) WHERE campaign_id IS NOT NULL;
  CREATE INDEX readings_by_track ON readings (track_id, seq) WHERE track_id IS NOT NULL;

  CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    commune TEXT NOT NULL,
    commune_name TEXT NOT NULL,
    departement TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    operators TEXT NOT NULL,
    test_number TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX campaigns_by_departement ON campaigns (departement, starts_on);
  CREATE INDEX campaigns_by_commune ON campaigns (commune, starts_on);
  CREATE TABLE campaign_agents (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    account_id TEXT NOT NULL REFERENCES users (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, account_id)
  ) WITHOUT ROWID;
  CREATE INDEX campaign_agents_by_account ON campaign_agents (account_id);
  `,
  // 6. Maps of readings zoomed out (issue 6): GET /api/v1/readings?zoom= below 13 groups every
  //    reading of a box into clusters. This index holds all that query reads (position, level,
  //    and the filters but an agent's scope), so that a département's readings are grouped
  //    without loading one body (sqlite-reading-clusters.ts).
  `
  CREATE INDEX readings_by_position ON readings (lat, lon, level, operator, technology, departement, recorded_at_ms);
  `,
  // 7. What several app processes must share (issue 8), kept here too so that both stores
  //    behave alike: rate-limit and sign-in-failure counters (a fixed window per key), and
  //    the deployment's secrets (the key that hashes client addresses for rate limits).
  `
  CREATE TABLE counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    reset_at_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX counters_by_end ON counters (reset_at_ms);
  CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) WITHOUT ROWID;
  `,
  // 8. Sessions idle out and tokens may expire (issue 14).
  //  - last_seen_at_ms: a session unused for SESSION_IDLE_DAYS ends. Sessions open at the
  //    upgrade count as seen then, so that the upgrade signs nobody out.
  //  - expires_at: an API token's end (ISO 8601), NULL until revoked.
  `
  ALTER TABLE sessions ADD COLUMN last_seen_at_ms INTEGER NOT NULL DEFAULT 0;
  UPDATE sessions SET last_seen_at_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
  CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at_ms);
  ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
  `,
  // 9. Commune reference data in the database (issue 15): outlines and centres loaded by
  //    `npm run communes` (commune_shapes; commune: the current commune a code belongs to),
  //    each import in commune_loads. Readings and reports gain how they were placed
  //    (placement: outline, centre, departement, or NULL) and the import they were placed
  //    with (placed_with: commune_loads.seq, 0 with none, -1 never): those placed with an
  //    older one are placed again (placeAgain), the rows stored before this migration at the
  //    next start. Their communes came from the nearest centre.
  `
  CREATE TABLE commune_shapes (
    kind TEXT NOT NULL CHECK (kind IN ('outline', 'centre')),
    code TEXT NOT NULL,
    commune TEXT NOT NULL,
    name TEXT NOT NULL,
    departement TEXT NOT NULL,
    geometry TEXT NOT NULL,
    load_seq INTEGER NOT NULL,
    UNIQUE (kind, code)
  );
  CREATE INDEX commune_shapes_by_commune ON commune_shapes (commune, kind);
  CREATE INDEX commune_shapes_by_departement ON commune_shapes (kind, departement);
  CREATE TABLE commune_loads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    departements TEXT NOT NULL,
    count INTEGER NOT NULL,
    loaded_at TEXT NOT NULL
  );
  ALTER TABLE readings ADD COLUMN placement TEXT;
  ALTER TABLE readings ADD COLUMN placed_with INTEGER NOT NULL DEFAULT -1;
  UPDATE readings SET placement = 'centre' WHERE commune IS NOT NULL;
  CREATE INDEX readings_by_placed_with ON readings (placed_with, seq);
  ALTER TABLE reports ADD COLUMN placement TEXT;
  ALTER TABLE reports ADD COLUMN placed_with INTEGER NOT NULL DEFAULT -1;
  UPDATE reports SET placement = 'centre' WHERE commune IS NOT NULL;
  CREATE INDEX reports_by_placed_with ON reports (placed_with, seq);
  `,
  // 10. Provisional passwords (issue 15): an account whose password an admin set (at creation
  //     or reset) must choose its own at next sign-in. Accounts of before keep theirs.
  `
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
  `,
  // 11. Every report id the server has taken (issue 14 follow-up): a report collapsed into a
  //     repeat was not stored, so the phone's resend of it counted again. `into_id` is the
  //     stored report it counts in (its own id when it was stored; NULL once that report is
  //     deleted on a resident's request, the id staying taken so that a late resend does not
  //     bring it back). The stored reports' ids are taken here; the ids of the repeats
  //     collapsed before this migration were never kept.
  `
  CREATE TABLE report_ids (
    id TEXT PRIMARY KEY,
    into_id TEXT REFERENCES reports (id) ON DELETE SET NULL
  ) WITHOUT ROWID;
  INSERT INTO report_ids (id, into_id) SELECT id, id FROM reports;
  `,
];

/**
 * Work a migration needs beyond SQL, run right after it in the same transaction (index as in
 * MIGRATIONS). Append only, like MIGRATIONS.
 */
const MIGRATION_STEPS: Partial<Record<number, (db: Database.Database) => void>> = {
  // Migration 3's grid filling (never deployed) moved to migration 4, once every grid table exists.
  3: (db) => createSqliteGrid(db).backfill(),
};

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

// The R*Tree stores 32-bit floats rounded outwards, so it finds a superset of the points in
// the box; the comparisons on lon/lat then keep the exact answer. Their unary + keeps SQLite
// from scanning the position index (migration 6) instead of the R*Tree: for the small boxes
// pages are asked for, the R*Tree is faster.
const READING_COLUMNS = 'r.seq, r.body, r.commune, r.outside_communes, r.placement';
const IN_BBOX = `
  p.min_lon <= @maxLon AND p.max_lon >= @minLon AND p.min_lat <= @maxLat AND p.max_lat >= @minLat
  AND +r.lon BETWEEN @minLon AND @maxLon AND +r.lat BETWEEN @minLat AND @maxLat`;
function readingPageSql(bbox: boolean, scope: ReadingScope['kind']): string {
  const from = bbox ? `readings_position p JOIN readings r ON r.seq = p.seq WHERE ${IN_BBOX} AND` : 'readings r WHERE';
  return `SELECT ${READING_COLUMNS} FROM ${from} r.seq > @after AND ${FILTER_SQL} ${SCOPE_SQL[scope]}
    ORDER BY r.seq LIMIT @take`;
}

export interface SqliteStoreOptions {
  /**
   * Keep the coverage grid up to date as readings arrive (default true). Only the benchmark
   * turns it off, to measure what it costs: a store opened without it leaves the grid stale.
   */
  maintainGrid?: boolean;
}

/** Opens (creating or migrating as needed) the SQLite database at `file`. */
export function openSqliteStore(file: string, { maintainGrid = true }: SqliteStoreOptions = {}): Store {
  const db = new Database(file);
  try {
    // Another process (a backup, the sqlite3 shell, `npm run admin`) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    // Checked before anything writes to the file, the journal mode included.
    const version = schemaVersion(db, file);
    db.pragma('journal_mode = WAL');
    // Safe with WAL: a power cut may lose the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, version);
  } catch (error) {
    db.close();
    throw error;
  }

  const grid = createSqliteGrid(db);
  const zones = createSqliteZones(db);
  const campaigns = createSqliteCampaigns(db);
  const readingClusters = createSqliteReadingClusters(db);
  const places = createSqlitePlaces(db, grid, maintainGrid);

  // ---- readings
  const insertReading = db.prepare<
    [
      string, string, number, number, number, string, string, string, string, string, string,
      string | null, string | null, string | null, number, number | null, number | null, string | null, string | null,
      string | null, number,
    ]
  >(`
    INSERT INTO readings (id, recorded_at, recorded_at_ms, lat, lon, operator, technology, level, source, body, received_at,
                          account_id, commune, departement, outside_communes, cell_n, cell_e, campaign_id, track_id,
                          placement, placed_with)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO NOTHING`);
  const insertPosition = db.prepare<[number | bigint, number, number, number, number]>(
    'INSERT INTO readings_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)',
  );
  const storedBody = db.prepare<[string], string>('SELECT body FROM readings WHERE id = ?').pluck();
  const attributionOf = db.prepare<[string], { account_id: string | null; source: string }>('SELECT account_id, source FROM readings WHERE id = ?');
  const cellReadings = db.prepare<Record<string, unknown>, SqliteReadingRow>(`
    WITH c (n0, n1, e0, e1) AS (
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
      FROM json_each(@cells))
    SELECT ${READING_COLUMNS} FROM c CROSS JOIN readings r
    WHERE r.cell_n BETWEEN c.n0 AND c.n1 AND r.cell_e BETWEEN c.e0 AND c.e1 AND r.seq > @after
      AND (@scopeKind = 'all'
        OR (@scopeKind = 'departement' AND r.departement = @departement)
        OR (@scopeKind = 'agent' AND (r.account_id = @accountId OR r.commune IN (SELECT value FROM json_each(@communes)))))
    ORDER BY r.seq LIMIT @take`);
  const communesIn = db
    .prepare<[number, number, number, number], string>(
      'SELECT DISTINCT commune FROM readings WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ? AND commune IS NOT NULL',
    )
    .pluck();
  const pageStatements = new Map<string, Database.Statement<Record<string, unknown>, SqliteReadingRow>>();
  const pageStatement = (bbox: boolean, scope: ReadingScope['kind']) => {
    const key = `${bbox}/${scope}`;
    let statement = pageStatements.get(key);
    if (!statement) pageStatements.set(key, (statement = db.prepare<Record<string, unknown>, SqliteReadingRow>(readingPageSql(bbox, scope))));
    return statement;
  };

  const ingestAll = db.transaction((readings: Reading[], placements: readonly ReadingPlacement[] | undefined): IngestResult => {
    const receivedAt = new Date().toISOString();
    const result: IngestResult = { outcomes: [], accepted: [], duplicates: [], conflicts: [] };
    // Grid rows are written once per row at the end, not once per reading.
    const gridBatch = maintainGrid ? grid.batch() : undefined;
    readings.forEach((reading, index) => {
      const body = canonicalJson(reading);
      const { lat, lon } = reading;
      const place = placements?.[index] ?? UNPLACED;
      const cell = baseCellOf(lon, lat);
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
        place.accountId,
        place.commune,
        place.departement,
        place.outsideCommunes ? 1 : 0,
        cell?.north ?? null,
        cell?.east ?? null,
        reading.campaignId ?? null,
        reading.trackId ?? null,
        place.placement ?? null,
        place.placedWith ?? NEVER_PLACED,
      );
      let outcome: IngestOutcome;
      if (inserted.changes === 1) {
        insertPosition.run(inserted.lastInsertRowid, lon, lon, lat, lat);
        gridBatch?.addReading(reading, place.accountId, place.departement, cell);
        outcome = 'accepted';
      } else {
        // The id is taken, by an earlier request or earlier in this one.
        outcome = storedBody.get(reading.id) === body ? 'duplicate' : 'conflict';
      }
      result.outcomes.push(outcome);
      const list = outcome === 'accepted' ? result.accepted : outcome === 'duplicate' ? result.duplicates : result.conflicts;
      list.push(reading.id);
    });
    gridBatch?.flush();
    return result;
  });

  // ---- accounts
  const insertUser = db.prepare(`
    INSERT INTO users (id, email, name, password_hash, must_change_password, role, communes, departement, disabled, created_at, updated_at)
    VALUES (@id, @email, @name, @passwordHash, @mustChangePassword, @role, @communes, @departement, @disabled, @createdAt, @updatedAt)`);
  const userById = db.prepare<[string], SqliteUserRow>('SELECT * FROM users WHERE id = ?');
  const userByEmail = db.prepare<[string], SqliteUserRow>('SELECT * FROM users WHERE email = ?');
  const allUsers = db.prepare<[], SqliteUserRow>('SELECT * FROM users ORDER BY created_at, email');
  const insertSession = db.prepare(`
    INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, expires_at_ms, last_seen_at_ms)
    VALUES (@tokenHash, @userId, @csrfToken, @createdAtMs, @expiresAtMs, @lastSeenAtMs)`);
  const sessionByHash = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?');
  const deleteSession = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
  const touchSession = db.prepare<[number, string]>('UPDATE sessions SET last_seen_at_ms = ? WHERE token_hash = ?');
  const deleteUserSessions = db.prepare<[string, string | null]>('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?');
  const deleteExpiredSessions = db.prepare<[number, number]>('DELETE FROM sessions WHERE expires_at_ms <= ? OR last_seen_at_ms <= ?');
  const insertToken = db.prepare(`
    INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, expires_at)
    VALUES (@id, @userId, @name, @tokenHash, @createdAt, @lastUsedAt, @expiresAt)`);
  const tokenByHash = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?');
  const tokenById = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE id = ?');
  const tokensOf = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at, id');
  const touchToken = db.prepare<[string, string]>('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  const deleteToken = db.prepare<[string]>('DELETE FROM api_tokens WHERE id = ?');
  const deleteUserTokens = db.prepare<[string]>('DELETE FROM api_tokens WHERE user_id = ?');
  const insertAudit = db.prepare(`
    INSERT INTO audit_log (at, actor_id, actor_label, action, target_type, target_id, details)
    VALUES (@at, @actorId, @actorLabel, @action, @targetType, @targetId, @details)`);
  const latestAudit = db.prepare<[number], SqliteAuditRow>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?');

  // ---- counters and secrets
  const countHit = db.prepare<{ key: string; nowMs: number; windowMs: number }, { count: number; reset_at_ms: number }>(`
    INSERT INTO counters (key, count, reset_at_ms) VALUES (@key, 1, @nowMs + @windowMs)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN reset_at_ms <= @nowMs THEN 1 ELSE count + 1 END,
      reset_at_ms = CASE WHEN reset_at_ms <= @nowMs THEN @nowMs + @windowMs ELSE reset_at_ms END
    RETURNING count, reset_at_ms`);
  const peekHits = db.prepare<[string, number], { count: number; reset_at_ms: number }>(
    'SELECT count, reset_at_ms FROM counters WHERE key = ? AND reset_at_ms > ?',
  );
  const clearHits = db.prepare<[string]>('DELETE FROM counters WHERE key = ?');
  const deleteEndedCounters = db.prepare<[number]>('DELETE FROM counters WHERE reset_at_ms <= ?');
  const insertSecret = db.prepare<[string, Buffer]>('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
  const secretByName = db.prepare<[string], Buffer>('SELECT value FROM server_secrets WHERE name = ?').pluck();

  // ---- reports
  const insertReport = db.prepare(`
    INSERT INTO reports (id, reported_at_ms, lat, lon, operator, problem, setting, commune, departement, body, received_at, placement, placed_with)
    VALUES (@id, @reportedAtMs, @lat, @lon, @operator, @problem, @setting, @commune, @departement, @body, @receivedAt, @placement, @placedWith)`);
  const reportIdTaken = db.prepare<[string], 1>('SELECT 1 FROM report_ids WHERE id = ?').pluck();
  const takeReportId = db.prepare<[string, string]>('INSERT INTO report_ids (id, into_id) VALUES (?, ?)');
  const insertReportPosition = db.prepare<[number | bigint, number, number, number, number]>(
    'INSERT INTO reports_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)',
  );
  const nearbyReports = db.prepare<Record<string, number | string>, { seq: number; id: string; lat: number; lon: number; reportedAtMs: number }>(`
    SELECT r.seq, r.id, r.lat, r.lon, r.reported_at_ms AS reportedAtMs FROM reports_position p JOIN reports r ON r.seq = p.seq
    WHERE ${IN_BBOX}
      AND r.hidden = 0 AND r.operator = @operator AND r.problem = @problem AND r.setting = @setting
      AND r.reported_at_ms BETWEEN @fromMs AND @toMs
    ORDER BY r.seq LIMIT 100`);
  const countRepeat = db.prepare<[number]>('UPDATE reports SET repeats = repeats + 1 WHERE seq = ?');
  const reportById = db.prepare<[string], SqliteReportRow>('SELECT * FROM reports WHERE id = ?');
  const setHidden = db.prepare<[number, string | null, string]>('UPDATE reports SET hidden = ?, hidden_reason = ? WHERE id = ?');
  const HIDDEN_FILTER = "AND (r.hidden = 0 OR @hiddenAll = 1 OR r.departement = @hiddenDepartement)";
  const reportPage = db.prepare<Record<string, unknown>, SqliteReportRow>(
    `SELECT r.* FROM reports r WHERE r.seq > @after ${HIDDEN_FILTER} ORDER BY r.seq LIMIT @take`,
  );
  const reportPageInBbox = db.prepare<Record<string, unknown>, SqliteReportRow>(
    `SELECT r.* FROM reports_position p JOIN reports r ON r.seq = p.seq WHERE ${IN_BBOX} AND r.seq > @after ${HIDDEN_FILTER}
     ORDER BY r.seq LIMIT @take`,
  );

  // The batch is made inside the transaction: counts gathered by an ingest that fails and
  // rolls back must not be written by the next one.
  const ingestReportsAndGrid = db.transaction((items: readonly ReportIngestItem[], options: ReportIngestOptions): ReportOutcome[] => {
    const reportBatch = grid.batch();
    const outcomes = items.map(({ report, commune, departement, placement = null, placedWith = NEVER_PLACED }): ReportOutcome => {
      // Stored or collapsed into a repeat, a report already taken changes nothing: the phone
      // resends what it has not heard acknowledged.
      if (reportIdTaken.get(report.id)) return 'duplicate';
      const reportedAtMs = Date.parse(report.reportedAt);
      const placed = { lat: report.lat, lon: report.lon, reportedAtMs };
      const { box, fromMs, toMs } = repeatSearch(placed);
      const near = nearbyReports.all({ ...box, operator: report.operator, problem: report.problem, setting: report.setting, fromMs, toMs });
      const repeatOf = near.find((row) => repeats(placed, row));
      if (repeatOf) {
        takeReportId.run(report.id, repeatOf.id);
        countRepeat.run(repeatOf.seq);
        return 'duplicate';
      }
      const inserted = insertReport.run({
        id: report.id,
        reportedAtMs,
        lat: report.lat,
        lon: report.lon,
        operator: report.operator,
        problem: report.problem,
        setting: report.setting,
        commune,
        departement,
        body: JSON.stringify(report),
        receivedAt: options.receivedAt,
        placement,
        placedWith,
      });
      insertReportPosition.run(inserted.lastInsertRowid, report.lon, report.lon, report.lat, report.lat);
      takeReportId.run(report.id, report.id);
      reportBatch.addReport(report, departement, 1);
      return 'accepted';
    });
    reportBatch.flush();
    return outcomes;
  });
  const setHiddenAndGrid = db.transaction((id: string, hidden: boolean, reason: string | null): boolean => {
    const before = reportById.get(id);
    if (!before) return false;
    setHidden.run(hidden ? 1 : 0, reason, id);
    if ((before.hidden === 1) !== hidden) {
      const batch = grid.batch();
      batch.addReport(JSON.parse(before.body) as Report, before.departement, hidden ? -1 : 1);
      batch.flush();
    }
    return true;
  });

  return {
    async ingest(readings, placements) {
      // IMMEDIATE takes the write lock up front, so a concurrent writer makes this wait
      // (busy_timeout) instead of failing half-way when a read lock cannot be upgraded.
      return ingestAll.immediate(readings, placements);
    },

    async query(query): Promise<ReadingPage> {
      const { bbox, limit, cursor, scope = { kind: 'all' } } = query;
      const params = { ...filterParams(query), after: cursor === undefined ? 0 : decodeCursor(cursor), take: limit + 1, ...bbox };
      const rows = pageStatement(bbox !== undefined, scope.kind).all(params);
      return toReadingPage(rows.map(readingRow), limit);
    },

    async clusters(query) {
      return readingClusters.clusters(query);
    },

    async readingsInCells({ cells, limit, cursor, scope = { kind: 'all' } }): Promise<ReadingPage> {
      const rows = cellReadings.all({
        cells: JSON.stringify(cells.map(baseCellRange)),
        after: cursor === undefined ? 0 : decodeCursor(cursor),
        take: limit + 1,
        scopeKind: scope.kind,
        departement: scope.kind === 'departement' ? scope.departement : null,
        accountId: scope.kind === 'agent' ? scope.accountId : null,
        communes: scope.kind === 'agent' ? JSON.stringify(scope.communes) : '[]',
      });
      return toReadingPage(rows.map(readingRow), limit);
    },

    async communesInCells(cells) {
      const found = new Set<string>();
      for (const cell of cells) for (const code of communesIn.all(...baseCellRange(cell))) found.add(code);
      return [...found].sort();
    },

    async gridGroups(query) {
      return grid.groups(query);
    },
    async gridReports(query) {
      return grid.reports(query);
    },

    ...zones,
    ...campaigns,
    ...places,

    async attribution(readingId) {
      const row = attributionOf.get(readingId);
      return row && { accountId: row.account_id, source: row.source };
    },

    async createUser(user) {
      try {
        insertUser.run({ ...user, communes: JSON.stringify(user.communes), disabled: user.disabled ? 1 : 0, mustChangePassword: user.mustChangePassword ? 1 : 0 });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateEmailError(user.email);
        throw error;
      }
    },
    async userById(id) {
      const row = userById.get(id);
      return row && toUser(userRow(row));
    },
    async userByEmail(email) {
      const row = userByEmail.get(email);
      return row && toUser(userRow(row));
    },
    async listUsers() {
      return allUsers.all().map((row) => {
        const { passwordHash: _, ...user } = toUser(userRow(row));
        return user;
      });
    },
    async updateUser(id, changes) {
      // better-sqlite3 binds no booleans.
      const sets = columnChanges(USER_COLUMNS, changes).map(({ column, value }) => ({ column, value: typeof value === 'boolean' ? (value ? 1 : 0) : value }));
      db.prepare(`UPDATE users SET ${sets.map(({ column }) => `${column} = ?`).join(', ')} WHERE id = ?`).run(...sets.map(({ value }) => value), id);
      const row = userById.get(id);
      return row && toUser(userRow(row));
    },

    async createSession(session) {
      insertSession.run(session);
    },
    async sessionByTokenHash(tokenHash) {
      const row = sessionByHash.get(tokenHash);
      if (!row) return undefined;
      const user = userById.get(row.user_id);
      return user && { session: toSession(row), user: toUser(userRow(user)) };
    },
    async deleteSession(tokenHash) {
      deleteSession.run(tokenHash);
    },
    async touchSession(tokenHash, atMs) {
      touchSession.run(atMs, tokenHash);
    },
    async deleteUserSessions(userId, exceptTokenHash) {
      return deleteUserSessions.run(userId, exceptTokenHash ?? null).changes;
    },
    async deleteExpiredSessions(nowMs, idleSinceMs) {
      return deleteExpiredSessions.run(nowMs, idleSinceMs).changes;
    },

    async createApiToken(token) {
      insertToken.run(token);
    },
    async apiTokenByHash(tokenHash) {
      const row = tokenByHash.get(tokenHash);
      if (!row) return undefined;
      const user = userById.get(row.user_id);
      return user && { token: toToken(row), user: toUser(userRow(user)) };
    },
    async apiTokenById(id) {
      const row = tokenById.get(id);
      return row && toToken(row);
    },
    async listApiTokens(userId) {
      return tokensOf.all(userId).map(toToken);
    },
    async touchApiToken(id, at) {
      touchToken.run(at, id);
    },
    async deleteApiToken(id) {
      return deleteToken.run(id).changes === 1;
    },
    async deleteUserApiTokens(userId) {
      return deleteUserTokens.run(userId).changes;
    },

    async appendAudit(entry) {
      insertAudit.run({ ...entry, details: JSON.stringify(entry.details) });
    },
    async listAudit(limit) {
      return latestAudit.all(limit).map((row) => toAuditEntry(auditRow(row)));
    },

    async countHit(key, windowMs, nowMs) {
      const row = countHit.get({ key, nowMs, windowMs })!;
      return { count: row.count, resetAtMs: row.reset_at_ms };
    },
    async peekHits(key, nowMs) {
      const row = peekHits.get(key, nowMs);
      return row && { count: row.count, resetAtMs: row.reset_at_ms };
    },
    async clearHits(key) {
      clearHits.run(key);
    },
    async deleteEndedCounters(nowMs) {
      return deleteEndedCounters.run(nowMs).changes;
    },
    async serverSecret(name) {
      insertSecret.run(name, randomBytes(32));
      return secretByName.get(name)!;
    },

    async ingestReports(items, options) {
      return ingestReportsAndGrid.immediate(items, options);
    },
    async queryReports({ bbox, limit, cursor, hiddenVisibleIn, keep }) {
      const params = {
        hiddenAll: hiddenVisibleIn === 'all' ? 1 : 0,
        hiddenDepartement: typeof hiddenVisibleIn === 'object' ? hiddenVisibleIn.departement : null,
        ...bbox,
      };
      const fetch = (after: number, take: number) => (bbox ? reportPageInBbox : reportPage).all({ ...params, after, take }).map(reportRow);
      return keptReportPage(fetch, { afterSeq: cursor === undefined ? 0 : decodeCursor(cursor), limit, ...(keep && { keep }) });
    },
    async reportById(id) {
      const row = reportById.get(id);
      return row && toReport(reportRow(row));
    },
    async setReportHidden(id, hidden, reason) {
      return setHiddenAndGrid.immediate(id, hidden, reason);
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

/** [n0, n1, e0, e1]: the range of 200 m cell corners inside a cell of any resolution (a multiple of 200 m). */
function baseCellRange(cell: CellRef): [number, number, number, number] {
  const last = Math.max(cell.resolutionM - BASE_RESOLUTION_M, 0);
  return [cell.north, cell.north + last, cell.east, cell.east + last];
}

function migrate(db: Database.Database, from: number): void {
  for (let next = from; next < SCHEMA_VERSION; next += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]!);
      MIGRATION_STEPS[next]?.(db);
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}
