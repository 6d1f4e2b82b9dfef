import { isIP } from 'node:net';
import { resolve } from 'node:path';
import {
  DEFAULT_FIELD_SETTINGS,
  MAX_DATA_TEST_DOWNLOAD_BYTES,
  MAX_DATA_TEST_PAGE_BYTES,
  MAX_PROBE_BYTES,
  type FieldSettings,
} from '../domain/field-settings.ts';
import { PROTOCOLS, type Protocol } from '../domain/protocol.ts';
import type { TileSourcesConfig } from '../domain/tile-source.ts';
import { readTileSources } from './tile-sources.ts';
import { DEFAULT_ANSWER_CACHE_BYTES } from './cache/answer-cache.ts';
import { DEFAULT_CELLS_WARM_MINUTES } from './routes/cells.ts';
import { DEFAULT_UPLOAD_ADMISSION, type UploadAdmission } from './routes/upload-admission.ts';
import { CELLS_STALE_SECONDS } from '../domain/grid/cells-staleness.ts';

/** A request budget per client: `max` requests per `windowS` seconds. */
export interface RateLimit {
  max: number;
  windowS: number;
}

export interface RateLimits {
  /** POST /api/v1/reports, per client. */
  reports: RateLimit;
  /** POST /api/v1/session, per client. */
  login: RateLimit;
  /** Failed sign-ins (and token-creation password checks) per e-mail address and client together. */
  loginFailuresPerEmail: RateLimit;
  /** The other public reads (GET /api/v1/reports, /api/v1/communes), per client. */
  publicReads: RateLimit;
  /** GET/POST /api/v1/probe, per client: each probe is a handful of requests of up to 1 MB. */
  probe: RateLimit;
  /** Each route of /api/v1/qos/… (the QoS data tests), per client: megabytes per request. */
  qos: RateLimit;
}

export interface SecuritySettings {
  /** How long a browser session lasts at most, however much it is used: a field day offline must not end it. */
  sessionDays: number;
  /** A session unused for longer ends (401); each use extends it, up to `sessionDays`. */
  sessionIdleDays: number;
  /** 'auto': Secure cookie when the request came over HTTPS. */
  cookieSecure: boolean | 'auto';
  /** fastify's trustProxy: whether X-Forwarded-For/-Proto from a reverse proxy are believed. */
  trustProxy: boolean | number | string;
  rateLimits: RateLimits;
}

export const DEFAULT_SECURITY: SecuritySettings = {
  sessionDays: 30,
  sessionIdleDays: 14,
  cookieSecure: 'auto',
  trustProxy: false,
  rateLimits: {
    reports: { max: 10, windowS: 600 },
    login: { max: 20, windowS: 900 },
    loginFailuresPerEmail: { max: 5, windowS: 900 },
    publicReads: { max: 120, windowS: 60 },
    // A probe is about six requests; a track point every few seconds by several agents behind one town hall's address stays well under.
    probe: { max: 600, windowS: 60 },
    // One run of the data tests is one upload, one download, one page and its few resources: 6 runs a minute, not a flood of 10 MB downloads.
    qos: { max: 60, windowS: 60 },
  },
};

/**
 * The coverage grid's thresholds (choices, see docs/coverage-rules.md): how much evidence
 * makes an operator's verdict on a cell, and which cells open data may publish.
 */
export interface GridSettings {
  /** Fewest readings of an operator on a cell for a verdict (below: insufficient). */
  minReadings: number;
  /** Fewest distinct contributors (accounts) behind them. */
  minContributors: number;
  /** Residents' reports that flag an undecided cell to survey (0: never). */
  minResidentReports: number;
  /** Open data withholds every cell with fewer distinct contributors than this. */
  openDataMinContributors: number;
  /** Confidence of the verdicts' Wilson intervals, 0…1 (env in percent). */
  confidence: number;
  /** Share of an operator's readings at BC or better above which it covers a cell, 0…1. */
  coverageThreshold: number;
  /** Call success rate a covering operator is expected to reach, 0…1 (shown, not folded in). */
  callThreshold: number;
}

export const DEFAULT_GRID: GridSettings = {
  minReadings: 3,
  minContributors: 1,
  minResidentReports: 1,
  openDataMinContributors: 3,
  confidence: 0.95,
  coverageThreshold: 0.5,
  callThreshold: 0.95,
};

export interface ServerConfig {
  host: string;
  port: number;
  /** Absolute; holds couverture.sqlite (unless databaseUrl is set). */
  dataDir: string;
  /** postgres://…: keep everything in this PostgreSQL database instead of SQLite (storage/open-store.ts). */
  databaseUrl?: string;
  /** Absolute; the app as built by vite. */
  staticDir: string;
  /** SERVE_SOURCE_MAPS=1: serve the build's source maps (*.map); otherwise they answer 404. */
  serveSourceMaps: boolean;
  /** The base maps offered (TILE_SOURCES, TILE_DEFAULT, TILE_URL…; see tile-sources.ts). */
  tileSources: TileSourcesConfig;
  security: SecuritySettings;
  grid: GridSettings;
  /** How phones measure in the field (probe budget, track spacing), sent to the page. */
  field: FieldSettings;
  /** The cells answers kept and rebuilt, and the uploads stored at once (docs/performance.md). */
  performance: PerformanceSettings;
  /** ZONE_QUOTA_PER_YEAR: zones the équipe projet may propose a year (its table shows the year's count against it); unset: none. */
  zoneQuotaPerYear?: number;
  /**
   * COMMUNE_CENTRES_FILE and COMMUNE_CONTOURS_FILE when still set: no longer read (commune
   * data is loaded in the database by `npm run communes -- import`); main.ts says so at start.
   */
  retiredCommuneFiles: { name: string; value: string }[];
}

/**
 * CELLS_CACHE_MB, CELLS_STALE_SECONDS, CELLS_WARM_MINUTES, CELLS_WARM_AT_START, UPLOADS_AT_ONCE, UPLOAD_WAIT_S.
 * The stale limit stops at {@link CELLS_STALE_SECONDS}: the page asks for the newest answer for
 * that long after its own change (src/app/shell/own-changes.ts), and a longer limit would show a
 * person an answer from before what they just did.
 */
export interface PerformanceSettings {
  cellsCacheBytes: number;
  cellsStaleSeconds: number;
  cellsWarmMinutes: number;
  /** The map's tiles holding data kept built from the start (routes/cells.ts's `warm.atStart`). */
  cellsWarmAtStart: boolean;
  uploadAdmission: UploadAdmission;
}

export const DEFAULT_PERFORMANCE: PerformanceSettings = {
  cellsCacheBytes: DEFAULT_ANSWER_CACHE_BYTES,
  cellsStaleSeconds: CELLS_STALE_SECONDS,
  cellsWarmMinutes: DEFAULT_CELLS_WARM_MINUTES,
  cellsWarmAtStart: true,
  uploadAdmission: DEFAULT_UPLOAD_ADMISSION,
};

const MB = 1024 * 1024;

/** A misconfigured environment; the message is meant for the person starting the server. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** Reads the configuration from the environment, listing every bad variable at once. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
    problems.push(`${name}=« ${raw} » : attendu un entier de ${min} à ${max}`);
    return fallback;
  };
  const text = (name: string, fallback: string): string => {
    const raw = env[name];
    if (raw === undefined) return fallback;
    if (raw.trim() === '') problems.push(`${name} est vide : retirez la variable pour garder la valeur par défaut (« ${fallback} »)`);
    return raw.trim();
  };

  const choice = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name}=« ${raw} » : attendu ${allowed.join(', ')}`);
    return fallback;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (raw === '1' || raw === '0') return raw === '1';
    problems.push(`${name}=« ${raw} » : attendu 1 (oui) ou 0 (non)`);
    return fallback;
  };
  const limit = (name: string, fallback: RateLimit): RateLimit => ({
    max: integer(`${name}_MAX`, fallback.max, 1, 100_000),
    windowS: integer(`${name}_WINDOW_S`, fallback.windowS, 1, 86_400),
  });
  const defaults = DEFAULT_SECURITY;
  const cookieSecure = choice('COOKIE_SECURE', 'auto', ['auto', 'true', 'false'] as const);
  const retiredCommuneFiles = ['COMMUNE_CENTRES_FILE', 'COMMUNE_CONTOURS_FILE'].flatMap((name) => {
    const value = env[name]?.trim();
    return value ? [{ name, value }] : [];
  });
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl && !/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    problems.push('DATABASE_URL : attendu postgres://utilisateur:mot-de-passe@hôte:5432/base (retirez-la pour garder SQLite dans DATA_DIR)');
  }

  const zoneQuota = env.ZONE_QUOTA_PER_YEAR?.trim() ? integer('ZONE_QUOTA_PER_YEAR', 0, 1, 10_000) : undefined;
  const config: ServerConfig = {
    host: text('HOST', '127.0.0.1'),
    port: integer('PORT', 8080, 0, 65535),
    dataDir: resolve(text('DATA_DIR', './data')),
    ...(databaseUrl && { databaseUrl }),
    staticDir: resolve(text('STATIC_DIR', './dist')),
    serveSourceMaps: flag('SERVE_SOURCE_MAPS', false),
    tileSources: readTileSources(env, { integer, flag }, problems),
    security: {
      sessionDays: integer('SESSION_DAYS', defaults.sessionDays, 1, 365),
      sessionIdleDays: integer('SESSION_IDLE_DAYS', defaults.sessionIdleDays, 1, 365),
      cookieSecure: cookieSecure === 'auto' ? 'auto' : cookieSecure === 'true',
      trustProxy: trustProxy(env.TRUST_PROXY, problems),
      rateLimits: {
        reports: limit('REPORT_RATE', defaults.rateLimits.reports),
        login: limit('LOGIN_RATE', defaults.rateLimits.login),
        loginFailuresPerEmail: limit('LOGIN_EMAIL_RATE', defaults.rateLimits.loginFailuresPerEmail),
        publicReads: limit('PUBLIC_RATE', defaults.rateLimits.publicReads),
        probe: limit('PROBE_RATE', defaults.rateLimits.probe),
        qos: limit('QOS_RATE', defaults.rateLimits.qos),
      },
    },
    grid: {
      minReadings: integer('VERDICT_MIN_READINGS', DEFAULT_GRID.minReadings, 1, 1000),
      minContributors: integer('VERDICT_MIN_CONTRIBUTORS', DEFAULT_GRID.minContributors, 1, 100),
      minResidentReports: integer('VERDICT_MIN_RESIDENT_REPORTS', DEFAULT_GRID.minResidentReports, 0, 1000),
      openDataMinContributors: integer('OPEN_DATA_MIN_CONTRIBUTORS', DEFAULT_GRID.openDataMinContributors, 1, 100),
      confidence: integer('VERDICT_CONFIDENCE_PERCENT', Math.round(DEFAULT_GRID.confidence * 100), 50, 99) / 100,
      coverageThreshold: integer('VERDICT_COVERAGE_THRESHOLD_PERCENT', Math.round(DEFAULT_GRID.coverageThreshold * 100), 1, 99) / 100,
      callThreshold: integer('VERDICT_CALL_THRESHOLD_PERCENT', Math.round(DEFAULT_GRID.callThreshold * 100), 1, 99) / 100,
    },
    field: fieldSettings(integer, flag, choice('DEFAULT_PROTOCOL', DEFAULT_FIELD_SETTINGS.protocol, PROTOCOLS)),
    performance: {
      cellsCacheBytes: integer('CELLS_CACHE_MB', DEFAULT_PERFORMANCE.cellsCacheBytes / MB, 0, 4096) * MB,
      cellsStaleSeconds: integer('CELLS_STALE_SECONDS', DEFAULT_PERFORMANCE.cellsStaleSeconds, 0, CELLS_STALE_SECONDS),
      cellsWarmMinutes: integer('CELLS_WARM_MINUTES', DEFAULT_PERFORMANCE.cellsWarmMinutes, 0, 24 * 60),
      cellsWarmAtStart: flag('CELLS_WARM_AT_START', DEFAULT_PERFORMANCE.cellsWarmAtStart),
      uploadAdmission: {
        atOnce: integer('UPLOADS_AT_ONCE', DEFAULT_PERFORMANCE.uploadAdmission.atOnce, 1, 64),
        maxWaitMs: integer('UPLOAD_WAIT_S', DEFAULT_PERFORMANCE.uploadAdmission.maxWaitMs / 1000, 0, 25) * 1000,
      },
    },
    retiredCommuneFiles,
    ...(zoneQuota !== undefined && { zoneQuotaPerYear: zoneQuota }),
  };

  if (problems.length > 0) throw new ConfigError(`Configuration invalide :\n- ${problems.join('\n- ')}`);
  return config;
}

type IntegerReader = (name: string, fallback: number, min: number, max: number) => number;

/**
 * PROBE_* and TRACK_*: what one reading's probe may cost the agent's data plan, and how
 * densely a « Parcours » records. The bounds keep a typo from making every reading download
 * megabytes or a track record a point per metre.
 */
function fieldSettings(integer: IntegerReader, flag: (name: string, fallback: boolean) => boolean, protocol: Protocol): FieldSettings {
  const { probe, track, dataTest } = DEFAULT_FIELD_SETTINGS;
  return {
    probe: {
      enabled: flag('PROBE_ENABLED', probe.enabled),
      latencySamples: integer('PROBE_LATENCY_SAMPLES', probe.latencySamples, 0, 20),
      downloadBytes: integer('PROBE_DOWNLOAD_BYTES', probe.downloadBytes, 0, MAX_PROBE_BYTES),
      uploadBytes: integer('PROBE_UPLOAD_BYTES', probe.uploadBytes, 0, MAX_PROBE_BYTES),
      stepTimeoutMs: integer('PROBE_STEP_TIMEOUT_MS', probe.stepTimeoutMs, 500, 60_000),
    },
    track: {
      spacingM: integer('TRACK_SPACING_M', track.spacingM, 10, 5000),
      intervalS: integer('TRACK_INTERVAL_S', track.intervalS, 5, 3600),
    },
    protocol,
    // QOS_*: the data tests' cost to the agent's plan (docs/coverage-rules.md measures it).
    dataTest: {
      enabled: flag('QOS_DATA_TESTS', dataTest.enabled),
      downloadMaxBytes: integer('QOS_DOWNLOAD_MAX_BYTES', dataTest.downloadMaxBytes, 100_000, MAX_DATA_TEST_DOWNLOAD_BYTES),
      downloadMaxS: integer('QOS_DOWNLOAD_MAX_S', dataTest.downloadMaxS, 2, 60),
      pageBytes: integer('QOS_PAGE_BYTES', dataTest.pageBytes, 100_000, MAX_DATA_TEST_PAGE_BYTES),
    },
  };
}

/**
 * TRUST_PROXY: false (default), a number of proxy hops, or a comma-separated list of proxy
 * addresses or networks. `true` is refused: it believes every address a client writes in
 * X-Forwarded-For, even behind nginx (which appends to it), so anyone could pick the address
 * the rate limits count.
 */
function trustProxy(raw: string | undefined, problems: string[]): boolean | number | string {
  const value = raw?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') {
    problems.push(
      'TRUST_PROXY=true croirait toute adresse écrite par le client dans X-Forwarded-For (les limites de requêtes seraient contournées) : ' +
        'donnez le nombre de mandataires devant le serveur (TRUST_PROXY=1 pour un seul proxy inverse, nginx par exemple) ou leurs adresses (TRUST_PROXY=127.0.0.1 ou 10.0.0.1,10.0.0.2)',
    );
    return false;
  }
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const wrong = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => !isProxyAddress(item));
  if (wrong.length === 0) return value;
  problems.push(
    `TRUST_PROXY=« ${value} » : ${wrong.map((item) => `« ${item} »`).join(', ')} n’est pas une adresse IP (10.0.0.1, ::1) ni un réseau (10.0.0.0/8) ; ` +
      'attendu false, un nombre de mandataires (1 pour un seul proxy inverse) ou des adresses IP séparées par des virgules',
  );
  return false;
}

/**
 * An address or network as proxy-addr (fastify's trustProxy) reads it, so that a mistyped one
 * is refused here in French rather than by fastify at start: an IPv4 or IPv6 address, with or
 * without a prefix length, or one of its names (loopback, linklocal, uniquelocal).
 */
function isProxyAddress(item: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) return true;
  const [address = '', prefix, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
