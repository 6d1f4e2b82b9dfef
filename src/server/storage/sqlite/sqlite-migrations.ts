import type Database from 'better-sqlite3';
import { createSqliteGrid } from './sqlite-grid.ts';

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
  // 12. Arcep's protocols (issue 17): the protocol a reading's tests followed (NULL: made
  //     before protocols were recorded, which is the map check's); a campaign's protocol and
  //     GPS requirement, campaigns of before keeping what they did: the map check, with the
  //     confirmation beyond 50 m the survey asked for.
  `
  ALTER TABLE readings ADD COLUMN protocol TEXT;
  ALTER TABLE campaigns ADD COLUMN protocol TEXT NOT NULL DEFAULT 'map-check';
  ALTER TABLE campaigns ADD COLUMN max_accuracy_m REAL NOT NULL DEFAULT 50;
  ALTER TABLE campaigns ADD COLUMN accuracy_rule TEXT NOT NULL DEFAULT 'warn';
  `,
  // 13. People affected and the life after the arrêté (issue 18): INSEE's 200 m population
  //     grid by cell corner (one edition per cell, the latest imported), points of interest
  //     by file (`source`) and 200 m cell, and a zone's follow-up (arrêté, leader operator,
  //     serviced plot, site in service: zone-follow-up.ts) as JSON.
  `
  CREATE TABLE cell_population (
    cell_n INTEGER NOT NULL,
    cell_e INTEGER NOT NULL,
    inhabitants REAL NOT NULL,
    households REAL NOT NULL,
    dwellings REAL,
    edition TEXT NOT NULL,
    PRIMARY KEY (cell_n, cell_e)
  ) WITHOUT ROWID;
  CREATE TABLE points_of_interest (
    seq INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    cell_n INTEGER NOT NULL,
    cell_e INTEGER NOT NULL
  );
  CREATE INDEX points_of_interest_by_cell ON points_of_interest (cell_n, cell_e);
  CREATE INDEX points_of_interest_by_source ON points_of_interest (source);
  ALTER TABLE zones ADD COLUMN follow_up TEXT NOT NULL DEFAULT '{"servicedPlot":false}';
  `,
  // 14. The operators' declared coverage (issue 18, part 1): one edition per département ×
  //     operator × technology (the file it came from, its date), and the declared level of
  //     each of the département's cells at 200 m and 1 km (declared-coverage-store.ts).
  `
  CREATE TABLE declared_editions (
    departement TEXT NOT NULL,
    operator TEXT NOT NULL,
    technology TEXT NOT NULL,
    source TEXT NOT NULL,
    edition_date TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    polygons INTEGER NOT NULL,
    cells TEXT NOT NULL,
    PRIMARY KEY (departement, operator, technology)
  ) WITHOUT ROWID;
  CREATE TABLE declared_cells (
    resolution_m INTEGER NOT NULL,
    cell_n INTEGER NOT NULL,
    cell_e INTEGER NOT NULL,
    operator TEXT NOT NULL,
    technology TEXT NOT NULL,
    departement TEXT NOT NULL,
    level TEXT NOT NULL,
    PRIMARY KEY (resolution_m, cell_n, cell_e, operator, technology, departement)
  ) WITHOUT ROWID;
  CREATE INDEX declared_cells_by_edition ON declared_cells (departement, operator, technology);
  `,
  // 15. Conforming tests in the grid (issue 17's `tests` in the stats): rows aggregated before
  //     they were counted have none, so an upgraded file under-reported its tests. No schema
  //     change: this migration's step refills the whole grid from the stored readings.
  '',
  // 16. Per-tile grid versions (grid-unit-versions.ts): a change counter per 10 km cell,
  //     counted in the writer's transaction. An absent cell counts 0: nothing to fill.
  `
  CREATE TABLE IF NOT EXISTS grid_unit_changes (
    north INTEGER NOT NULL,
    east INTEGER NOT NULL,
    changes INTEGER NOT NULL,
    PRIMARY KEY (north, east)
  ) WITHOUT ROWID;
  `,
  // 17. The grid rolled up after the ingest's transaction (grid-roll-up.ts): the readings up to
  //     this seq are in the grid, those above it pending (sqlite-grid-roll-up.ts). Every
  //     reading stored so far was written into the grid by its own ingest. A later migration
  //     that fills the grid again from the readings must move it to the last one too.
  `
  CREATE TABLE IF NOT EXISTS grid_rolled_up (seq INTEGER NOT NULL);
  INSERT INTO grid_rolled_up (seq) SELECT COALESCE(MAX(seq), 0) FROM readings WHERE NOT EXISTS (SELECT 1 FROM grid_rolled_up);
  `,
  // 18. Built answers kept across restarts and processes (kept-answer-store.ts): one row per
  //     query, and the generation a change everywhere bumps. Nothing to fill.
  `
  CREATE TABLE IF NOT EXISTS kept_answers (
    query TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    generation INTEGER NOT NULL,
    type TEXT NOT NULL,
    text_bytes INTEGER NOT NULL,
    brotli BLOB NOT NULL,
    built_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS kept_answers_generation (generation INTEGER NOT NULL);
  INSERT INTO kept_answers_generation (generation) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM kept_answers_generation);
  `,
];

/**
 * Work a migration needs beyond SQL, run right after it in the same transaction (index as in
 * MIGRATIONS). Append only, like MIGRATIONS.
 */
const MIGRATION_STEPS: Partial<Record<number, (db: Database.Database) => void>> = {
  // Migration 3's grid filling (never deployed) moved to migration 4, once every grid table exists.
  3: (db) => createSqliteGrid(db).backfill(),
  14: (db) => createSqliteGrid(db).backfill(),
};

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The file's schema version, refusing a file that a newer server has written. */
export function schemaVersion(db: Database.Database, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    // This server could misread such a file, so it must not touch it.
    throw new Error(`${file} est au schéma ${version}, plus récent que celui de ce serveur (${SCHEMA_VERSION}) : lancez une version à jour de Couverture.`);
  }
  return version;
}

/** Runs the migrations after `from`, each in its own transaction with its step and the new version. */
export function migrate(db: Database.Database, from: number): void {
  for (let next = from; next < SCHEMA_VERSION; next += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]!);
      MIGRATION_STEPS[next]?.(db);
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}
