import type pg from 'pg';
import { inTransaction, type Queryable } from './postgres-db.ts';
import { refillGrid } from './postgres-grid.ts';

/**
 * The PostgreSQL schema, in versions applied in order; table `schema_migrations` records
 * those already run. Append only: an entry that has run on some server must never change,
 * and no entry may drop or rewrite readings.
 *
 * It mirrors the SQLite schema (sqlite/sqlite-store.ts) table for table, with PostgreSQL's types:
 * - `body` stays text: it is the reading as received in canonical JSON, compared byte for byte
 *   to tell a retry (duplicate) from a conflict; jsonb would reorder its keys.
 * - JSON that is only read back whole or filtered on (communes, cells, details) is jsonb; the
 *   grid's stats, written by every roll-up and never read inside in SQL, are json (migration 16).
 * - Points are plain `lat`/`lon` columns under a B-tree, not PostGIS: every spatial question
 *   the API asks is a box on points or a range of grid cells already computed at ingest
 *   (docs/deployment.md says why PostGIS is not needed).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1. Everything of SQLite schemas 1–6: readings (with who sent them, where they lie, their
  //    200 m cell, campaign and track), accounts, sessions, API tokens, residents' reports, the
  //    audit log, the coverage grid (month rows and all-periods rows), zones, campaigns.
  `
  CREATE TABLE readings (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL,
    recorded_at text NOT NULL,
    recorded_at_ms bigint NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    operator text NOT NULL,
    technology text NOT NULL,
    level text NOT NULL,
    source text NOT NULL,
    body text NOT NULL,
    received_at text NOT NULL,
    account_id text,
    commune text,
    departement text,
    outside_communes boolean NOT NULL DEFAULT false,
    cell_n integer,
    cell_e integer,
    campaign_id text,
    track_id text,
    CONSTRAINT readings_id_key UNIQUE (id)
  );
  CREATE INDEX readings_by_account ON readings (account_id, seq);
  CREATE INDEX readings_by_commune ON readings (commune, seq);
  CREATE INDEX readings_by_departement ON readings (departement, seq);
  CREATE INDEX readings_by_cell ON readings (cell_n, cell_e);
  CREATE INDEX readings_by_campaign ON readings (campaign_id, seq) WHERE campaign_id IS NOT NULL;
  CREATE INDEX readings_by_track ON readings (track_id, seq) WHERE track_id IS NOT NULL;
  -- Boxes of readings, and everything a zoomed-out map's clusters read, so that they are
  -- counted from the index alone.
  CREATE INDEX readings_by_position ON readings (lat, lon)
    INCLUDE (level, operator, technology, departement, recorded_at_ms, account_id, commune);

  CREATE TABLE users (
    id text PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL CHECK (role IN ('agent', 'reviewer', 'admin')),
    communes jsonb NOT NULL DEFAULT '[]',
    departement text,
    disabled boolean NOT NULL DEFAULT false,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
  );
  CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (id),
    csrf_token text NOT NULL,
    created_at_ms bigint NOT NULL,
    expires_at_ms bigint NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions (user_id);
  CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);
  CREATE TABLE api_tokens (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (id),
    name text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at text NOT NULL,
    last_used_at text
  );
  CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

  CREATE TABLE reports (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    reported_at_ms bigint NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    operator text NOT NULL,
    problem text NOT NULL,
    setting text NOT NULL,
    commune text,
    departement text,
    body text NOT NULL,
    received_at text NOT NULL,
    hidden boolean NOT NULL DEFAULT false,
    hidden_reason text,
    repeats integer NOT NULL DEFAULT 0
  );
  CREATE INDEX reports_by_position ON reports (lat, lon);

  CREATE TABLE audit_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at text NOT NULL,
    actor_id text,
    actor_label text NOT NULL,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text,
    details jsonb NOT NULL
  );

  CREATE TABLE grid_groups (
    resolution_m integer NOT NULL,
    north integer NOT NULL,
    east integer NOT NULL,
    operator text NOT NULL,
    technology text NOT NULL,
    setting text NOT NULL,
    month text NOT NULL,
    departement text NOT NULL,
    stats jsonb NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, technology, setting, month, departement)
  );
  CREATE TABLE grid_reports (
    resolution_m integer NOT NULL,
    north integer NOT NULL,
    east integer NOT NULL,
    operator text NOT NULL,
    month text NOT NULL,
    departement text NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, month, departement)
  );
  CREATE TABLE grid_totals (
    resolution_m integer NOT NULL,
    north integer NOT NULL,
    east integer NOT NULL,
    operator text NOT NULL,
    technology text NOT NULL,
    setting text NOT NULL,
    departement text NOT NULL,
    stats jsonb NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, technology, setting, departement)
  );
  CREATE TABLE grid_report_totals (
    resolution_m integer NOT NULL,
    north integer NOT NULL,
    east integer NOT NULL,
    operator text NOT NULL,
    departement text NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (resolution_m, north, east, operator, departement)
  );

  CREATE TABLE zones (
    id text PRIMARY KEY,
    departement text NOT NULL,
    name text NOT NULL,
    need text NOT NULL,
    need_detail text,
    notes text,
    cells jsonb NOT NULL,
    communes jsonb NOT NULL,
    status text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX zones_by_departement ON zones (departement, created_at);
  CREATE TABLE zone_history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zone_id text NOT NULL REFERENCES zones (id),
    at text NOT NULL,
    by_id text NOT NULL,
    by_name text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    reason text NOT NULL
  );
  CREATE INDEX zone_history_by_zone ON zone_history (zone_id, seq);

  CREATE TABLE campaigns (
    id text PRIMARY KEY,
    name text NOT NULL,
    commune text NOT NULL,
    commune_name text NOT NULL,
    departement text NOT NULL,
    starts_on text NOT NULL,
    ends_on text NOT NULL,
    operators jsonb NOT NULL,
    test_number text,
    created_by text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX campaigns_by_departement ON campaigns (departement, starts_on);
  CREATE INDEX campaigns_by_commune ON campaigns (commune, starts_on);
  CREATE TABLE campaign_agents (
    campaign_id text NOT NULL REFERENCES campaigns (id),
    account_id text NOT NULL REFERENCES users (id),
    position integer NOT NULL,
    PRIMARY KEY (campaign_id, account_id)
  );
  CREATE INDEX campaign_agents_by_account ON campaign_agents (account_id);
  `,
  // 2. What several app processes must share (as SQLite's migration 7): rate-limit and
  //    sign-in-failure counters, a fixed window per key; the deployment's secrets.
  `
  CREATE TABLE counters (
    key text PRIMARY KEY,
    count integer NOT NULL,
    reset_at_ms bigint NOT NULL
  );
  CREATE INDEX counters_by_end ON counters (reset_at_ms);
  CREATE TABLE server_secrets (
    name text PRIMARY KEY,
    value bytea NOT NULL
  );
  `,
  // 3. Sessions idle out and tokens may expire (as SQLite's migration 8). Sessions open at the
  //    upgrade count as seen then, so that the upgrade signs nobody out.
  `
  ALTER TABLE sessions ADD COLUMN last_seen_at_ms bigint;
  UPDATE sessions SET last_seen_at_ms = (extract(epoch FROM now()) * 1000)::bigint;
  ALTER TABLE sessions ALTER COLUMN last_seen_at_ms SET NOT NULL;
  CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at_ms);
  ALTER TABLE api_tokens ADD COLUMN expires_at text;
  `,
  // 4. Commune reference data in the database (as SQLite's migration 9): outlines and centres
  //    loaded by `npm run communes`, each import; how each reading and report was placed and
  //    with which import (-1: never, so placed again at the next start).
  `
  CREATE TABLE commune_shapes (
    kind text NOT NULL CHECK (kind IN ('outline', 'centre')),
    code text NOT NULL,
    commune text NOT NULL,
    name text NOT NULL,
    departement text NOT NULL,
    geometry text NOT NULL,
    load_seq bigint NOT NULL,
    UNIQUE (kind, code)
  );
  CREATE INDEX commune_shapes_by_commune ON commune_shapes (commune, kind);
  CREATE INDEX commune_shapes_by_departement ON commune_shapes (kind, departement);
  CREATE TABLE commune_loads (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    source text NOT NULL,
    departements text NOT NULL,
    count integer NOT NULL,
    loaded_at text NOT NULL
  );
  ALTER TABLE readings ADD COLUMN placement text;
  ALTER TABLE readings ADD COLUMN placed_with bigint NOT NULL DEFAULT -1;
  UPDATE readings SET placement = 'centre' WHERE commune IS NOT NULL;
  CREATE INDEX readings_by_placed_with ON readings (placed_with, seq);
  ALTER TABLE reports ADD COLUMN placement text;
  ALTER TABLE reports ADD COLUMN placed_with bigint NOT NULL DEFAULT -1;
  UPDATE reports SET placement = 'centre' WHERE commune IS NOT NULL;
  CREATE INDEX reports_by_placed_with ON reports (placed_with, seq);
  `,
  // 5. Provisional passwords (as SQLite's migration 10): an account whose password an admin
  //    set must choose its own at next sign-in. Accounts of before keep theirs.
  `
  ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
  `,
  // 6. Every report id the server has taken (as SQLite's migration 11), so that a resent
  //    repeat counts once: `into_id` is the stored report it counts in (its own id when
  //    stored; NULL once that report is deleted on a resident's request, the id staying taken).
  `
  CREATE TABLE report_ids (
    id text PRIMARY KEY,
    into_id text REFERENCES reports (id) ON DELETE SET NULL
  );
  INSERT INTO report_ids (id, into_id) SELECT id, id FROM reports;
  `,
  // 7. Arcep's protocols (as SQLite's migration 12): a reading's protocol (NULL: the map
  //    check's), a campaign's protocol and GPS requirement (campaigns of before: the map check,
  //    confirmation beyond 50 m).
  `
  ALTER TABLE readings ADD COLUMN protocol text;
  ALTER TABLE campaigns ADD COLUMN protocol text NOT NULL DEFAULT 'map-check';
  ALTER TABLE campaigns ADD COLUMN max_accuracy_m double precision NOT NULL DEFAULT 50;
  ALTER TABLE campaigns ADD COLUMN accuracy_rule text NOT NULL DEFAULT 'warn';
  `,
  // 8. People affected and the life after the arrêté (as SQLite's migration of issue 18):
  //    population by 200 m cell corner, points of interest, a zone's follow-up as jsonb.
  `
  CREATE TABLE cell_population (
    cell_n integer NOT NULL,
    cell_e integer NOT NULL,
    inhabitants double precision NOT NULL,
    households double precision NOT NULL,
    dwellings double precision,
    edition text NOT NULL,
    PRIMARY KEY (cell_n, cell_e)
  );
  CREATE TABLE points_of_interest (
    seq bigserial PRIMARY KEY,
    source text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    cell_n integer NOT NULL,
    cell_e integer NOT NULL
  );
  CREATE INDEX points_of_interest_by_cell ON points_of_interest (cell_n, cell_e);
  CREATE INDEX points_of_interest_by_source ON points_of_interest (source);
  ALTER TABLE zones ADD COLUMN follow_up jsonb NOT NULL DEFAULT '{"servicedPlot": false}';
  `,
  // 9. The operators' declared coverage (as SQLite's migration 14).
  `
  CREATE TABLE declared_editions (
    departement text NOT NULL,
    operator text NOT NULL,
    technology text NOT NULL,
    source text NOT NULL,
    edition_date text NOT NULL,
    imported_at text NOT NULL,
    polygons integer NOT NULL,
    cells text NOT NULL,
    PRIMARY KEY (departement, operator, technology)
  );
  CREATE TABLE declared_cells (
    resolution_m integer NOT NULL,
    cell_n integer NOT NULL,
    cell_e integer NOT NULL,
    operator text NOT NULL,
    technology text NOT NULL,
    departement text NOT NULL,
    level text NOT NULL,
    PRIMARY KEY (resolution_m, cell_n, cell_e, operator, technology, departement)
  );
  CREATE INDEX declared_cells_by_edition ON declared_cells (departement, operator, technology);
  `,
  // 10. Conforming tests in the grid (issue 17's `tests` in the stats): rows aggregated before
  //     they were counted have none, so an upgraded database under-reported its tests. No
  //     schema change: this migration's step refills the whole grid from the stored readings.
  `SELECT 1`,
  // 11. The grid's version (postgres-grid-version.ts), bumped after every commit that changes
  //     what GET /api/v1/cells answers: its answers' ETag and cache key.
  `CREATE SEQUENCE IF NOT EXISTS grid_version`,
  // 12. Per-tile grid versions (grid-unit-versions.ts): a change counter per 10 km cell, counted
  //     in the writer's transaction, and the part of every tile's version that changes after a
  //     write changing every tile. An absent cell counts 0: nothing to fill.
  `
  CREATE TABLE IF NOT EXISTS grid_unit_changes (
    north integer NOT NULL,
    east integer NOT NULL,
    changes bigint NOT NULL,
    PRIMARY KEY (north, east)
  );
  CREATE SEQUENCE IF NOT EXISTS grid_everywhere_version;
  `,
  // 13. The grid rolled up after the ingest's transaction (grid-roll-up.ts): the readings an
  //     ingest stored and no roll-up has taken yet, by seq (sequences are drawn in one order and
  //     committed in another, so no watermark would do), and the count of roll-ups, part of the
  //     store-wide version (postgres-grid-roll-up.ts). Every reading stored so far was written
  //     into the grid by its own ingest: nothing pending.
  `
  CREATE TABLE IF NOT EXISTS grid_pending (seq bigint PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS grid_roll_ups (roll_ups bigint NOT NULL);
  INSERT INTO grid_roll_ups (roll_ups) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM grid_roll_ups);
  `,
  // 14. Built answers kept across restarts and processes (kept-answer-store.ts): one row per
  //     query, and the generation a change everywhere bumps. Nothing to fill.
  `
  CREATE TABLE IF NOT EXISTS kept_answers (
    query text PRIMARY KEY,
    version text NOT NULL,
    generation bigint NOT NULL,
    type text NOT NULL,
    text_bytes integer NOT NULL,
    brotli bytea NOT NULL,
    built_at bigint NOT NULL
  );
  CREATE TABLE IF NOT EXISTS kept_answers_generation (generation bigint NOT NULL);
  INSERT INTO kept_answers_generation (generation) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM kept_answers_generation);
  `,
  // 15. The readings pending for the grid listed by ingest statement rather than one row each
  //     (postgres-grid-roll-up.ts: a row per reading was 20,000 index entries written and
  //     deleted per 20,000 readings). `grid_pending` stays: during a rolling update the
  //     processes of the version before still write a row per reading there, and every roll-up
  //     takes those too (its rows pending so far with them). `grid_roll_ups`, neither written
  //     nor read since the versions stopped waiting for roll-ups (the version before included),
  //     goes.
  `
  CREATE TABLE IF NOT EXISTS grid_pending_batches (last_seq bigint PRIMARY KEY, seqs bigint[] NOT NULL);
  DROP TABLE IF EXISTS grid_roll_ups;
  `,
  // 16. The grid's stats stored as `json`, their text as the server wrote it, not parsed into
  //     `jsonb` (postgres-grid.ts's rowsSql): nothing reads inside them in SQL, and parsing
  //     them cost each roll-up about as much as the rest of its inserts. Rewrites both tables
  //     (the grid of 1,000,000 readings: its ~2,000,000 rows, under an exclusive lock that holds
  //     the grid's reads and roll-ups meanwhile, not the uploads). During a rolling update the
  //     version before still writes `jsonb` values: PostgreSQL casts them on assignment.
  `
  ALTER TABLE grid_groups ALTER COLUMN stats TYPE json USING stats::json;
  ALTER TABLE grid_totals ALTER COLUMN stats TYPE json USING stats::json;
  `,
];

/**
 * Work a migration needs beyond SQL, run right after it in the same transaction (index as in
 * POSTGRES_MIGRATIONS). Append only, like POSTGRES_MIGRATIONS.
 */
const POSTGRES_MIGRATION_STEPS: Partial<Record<number, (client: Queryable) => Promise<void>>> = {
  9: refillGrid,
};

/** The schema version this code reads and writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** Any constant: the advisory lock that lets one process migrate while the others wait. */
const MIGRATION_LOCK = 4_260_811;

/**
 * Brings the schema to POSTGRES_SCHEMA_VERSION, in one transaction: several processes
 * starting at once take turns on an advisory lock, the first migrates, the others find
 * nothing left to do. Refuses a database that a newer server has migrated further.
 * Answers the versions it applied. `upTo` (tests) stops at an older version.
 */
export async function migratePostgres(pool: pg.Pool, upTo = POSTGRES_SCHEMA_VERSION): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      // This server could misread such a database, so it must not touch it.
      throw new Error(
        `la base est au schéma ${current}, plus récent que celui de ce serveur (${POSTGRES_SCHEMA_VERSION}) : lancez une version à jour de Couverture.`,
      );
    }
    const applied: number[] = [];
    for (let next = current; next < upTo; next += 1) {
      await client.query(POSTGRES_MIGRATIONS[next]!);
      await POSTGRES_MIGRATION_STEPS[next]?.(client);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [next + 1]);
      applied.push(next + 1);
    }
    return applied;
  });
}

/** The version the database is at (0: empty). */
export async function postgresSchemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ version: number | null }>(
    `SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT max(version) FROM schema_migrations) END AS version`,
  );
  return rows[0]?.version ?? 0;
}
