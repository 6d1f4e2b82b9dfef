import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';
import { ConfigError, DEFAULT_GRID, DEFAULT_PERFORMANCE, DEFAULT_SECURITY, loadConfig } from '../../src/server/config.ts';
import { OSM, PLAN_IGN, tileOrigin } from '../../src/server/tile-sources.ts';

// Any file that exists will do: the file is read by main.ts, not by loadConfig.
const centresFile = new URL(import.meta.url).pathname;

describe('loadConfig', () => {
  it('has defaults that serve Plan IGN (and OpenStreetMap to choose) on localhost:8080', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dataDir: resolve('data'),
      staticDir: resolve('dist'),
      serveSourceMaps: false,
      tileSources: { sources: [PLAN_IGN, OSM], defaultSourceId: 'plan-ign' },
      security: DEFAULT_SECURITY,
      grid: DEFAULT_GRID,
      field: DEFAULT_FIELD_SETTINGS,
      performance: DEFAULT_PERFORMANCE,
      retiredCommuneFiles: [],
    });
    expect(DEFAULT_PERFORMANCE).toEqual({
      cellsCacheBytes: 64 * 1024 * 1024,
      cellsStaleSeconds: 60,
      cellsWarmMinutes: 15,
      cellsWarmAtStart: true,
      uploadAdmission: { atOnce: 4, maxWaitMs: 3000 },
    });
    expect(config.field).toEqual({
      probe: { enabled: true, latencySamples: 3, downloadBytes: 200_000, uploadBytes: 100_000, stepTimeoutMs: 5000 },
      track: { spacingM: 100, intervalS: 30 },
      protocol: 'map-check',
      dataTest: { enabled: true, downloadMaxBytes: 10_000_000, downloadMaxS: 10, pageBytes: 2_000_000 },
    });
    expect(config.grid).toEqual({
      minReadings: 3,
      minContributors: 1,
      minResidentReports: 1,
      openDataMinContributors: 3,
      confidence: 0.95,
      coverageThreshold: 0.5,
      callThreshold: 0.95,
    });
    expect(config.security).toEqual({
      sessionDays: 30,
      sessionIdleDays: 14,
      cookieSecure: 'auto',
      trustProxy: false,
      rateLimits: {
        reports: { max: 10, windowS: 600 },
        login: { max: 20, windowS: 900 },
        loginFailuresPerEmail: { max: 5, windowS: 900 },
        publicReads: { max: 120, windowS: 60 },
        probe: { max: 600, windowS: 60 },
        qos: { max: 60, windowS: 60 },
      },
    });
    expect(config.retiredCommuneFiles).toEqual([]);
    expect(config.tileSources.sources).toEqual([
      {
        id: 'plan-ign',
        label: 'Plan IGN',
        url: expect.stringMatching(/LAYER=GEOGRAPHICALGRIDSYSTEMS\.PLANIGNV2.*TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}/),
        attribution: '© <a href="https://www.ign.fr/">IGN</a> – Plan IGN',
        minZoom: 0,
        maxZoom: 19,
        allowsPrefetch: true,
        averageTileBytes: 25_000,
      },
      {
        id: 'osm',
        label: 'OpenStreetMap',
        url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        attribution: '© <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>',
        minZoom: 0,
        maxZoom: 19,
        // OSM's tile usage policy forbids bulk downloading.
        allowsPrefetch: false,
        averageTileBytes: 20_000,
      },
    ]);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '3000',
      DATA_DIR: '/var/lib/couverture',
      STATIC_DIR: '/srv/couverture',
      SERVE_SOURCE_MAPS: '1',
      TILE_URL: 'https://tile.example/{z}/{x}/{y}.png',
      TILE_ATTRIBUTION: '© exemple',
      TILE_MAX_ZOOM: '17',
      TILE_MIN_ZOOM: '5',
      TILE_PREFETCH: '1',
      SESSION_DAYS: '7',
      COOKIE_SECURE: 'true',
      TRUST_PROXY: '1',
      REPORT_RATE_MAX: '5',
      REPORT_RATE_WINDOW_S: '300',
      LOGIN_RATE_MAX: '3',
      LOGIN_RATE_WINDOW_S: '60',
      LOGIN_EMAIL_RATE_MAX: '4',
      LOGIN_EMAIL_RATE_WINDOW_S: '600',
      PUBLIC_RATE_MAX: '30',
      PUBLIC_RATE_WINDOW_S: '10',
      PROBE_RATE_MAX: '50',
      PROBE_RATE_WINDOW_S: '30',
      QOS_RATE_MAX: '20',
      QOS_RATE_WINDOW_S: '120',
      DEFAULT_PROTOCOL: 'qos',
      QOS_DATA_TESTS: '0',
      QOS_DOWNLOAD_MAX_BYTES: '5000000',
      QOS_DOWNLOAD_MAX_S: '8',
      QOS_PAGE_BYTES: '1500000',
      COMMUNE_CENTRES_FILE: centresFile,
      COMMUNE_CONTOURS_FILE: centresFile,
      VERDICT_MIN_READINGS: '5',
      VERDICT_MIN_CONTRIBUTORS: '2',
      VERDICT_MIN_RESIDENT_REPORTS: '0',
      OPEN_DATA_MIN_CONTRIBUTORS: '4',
      VERDICT_CONFIDENCE_PERCENT: '90',
      VERDICT_COVERAGE_THRESHOLD_PERCENT: '60',
      VERDICT_CALL_THRESHOLD_PERCENT: '98',
      PROBE_ENABLED: '0',
      PROBE_LATENCY_SAMPLES: '5',
      PROBE_DOWNLOAD_BYTES: '1000000',
      PROBE_UPLOAD_BYTES: '0',
      PROBE_STEP_TIMEOUT_MS: '8000',
      TRACK_SPACING_M: '50',
      TRACK_INTERVAL_S: '60',
      CELLS_CACHE_MB: '256',
      CELLS_STALE_SECONDS: '0',
      CELLS_WARM_MINUTES: '60',
      CELLS_WARM_AT_START: '0',
      UPLOADS_AT_ONCE: '8',
      UPLOAD_WAIT_S: '5',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 3000,
      dataDir: '/var/lib/couverture',
      staticDir: '/srv/couverture',
      serveSourceMaps: true,
      tileSources: {
        sources: [
          {
            id: 'custom',
            label: 'Fond de carte local',
            url: 'https://tile.example/{z}/{x}/{y}.png',
            attribution: '© exemple',
            minZoom: 5,
            maxZoom: 17,
            allowsPrefetch: true,
            averageTileBytes: 20_000,
          },
        ],
        defaultSourceId: 'custom',
      },
      security: {
        sessionDays: 7,
        sessionIdleDays: 14,
        cookieSecure: true,
        trustProxy: 1,
        rateLimits: {
          reports: { max: 5, windowS: 300 },
          login: { max: 3, windowS: 60 },
          loginFailuresPerEmail: { max: 4, windowS: 600 },
          publicReads: { max: 30, windowS: 10 },
          probe: { max: 50, windowS: 30 },
          qos: { max: 20, windowS: 120 },
        },
      },
      grid: {
        minReadings: 5,
        minContributors: 2,
        minResidentReports: 0,
        openDataMinContributors: 4,
        confidence: 0.9,
        coverageThreshold: 0.6,
        callThreshold: 0.98,
      },
      field: {
        probe: { enabled: false, latencySamples: 5, downloadBytes: 1_000_000, uploadBytes: 0, stepTimeoutMs: 8000 },
        track: { spacingM: 50, intervalS: 60 },
        protocol: 'qos',
        dataTest: { enabled: false, downloadMaxBytes: 5_000_000, downloadMaxS: 8, pageBytes: 1_500_000 },
      },
      performance: {
        cellsCacheBytes: 256 * 1024 * 1024,
        cellsStaleSeconds: 0,
        cellsWarmMinutes: 60,
        cellsWarmAtStart: false,
        uploadAdmission: { atOnce: 8, maxWaitMs: 5000 },
      },
      retiredCommuneFiles: [
        { name: 'COMMUNE_CENTRES_FILE', value: centresFile },
        { name: 'COMMUNE_CONTOURS_FILE', value: centresFile },
      ],
    });
  });

  it.each([
    ['false', false],
    ['2', 2],
    ['10.0.0.1, 10.0.0.2', '10.0.0.1, 10.0.0.2'],
    ['10.0.0.0/8,::1,fd00::/64', '10.0.0.0/8,::1,fd00::/64'],
    ['loopback', 'loopback'],
  ])('reads TRUST_PROXY=%j', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).security.trustProxy).toEqual(expected);
  });

  it('reads COOKIE_SECURE=false', () => {
    expect(loadConfig({ COOKIE_SECURE: 'false' }).security.cookieSecure).toBe(false);
  });

  it('accepts tiles served from this server', () => {
    expect(loadConfig({ TILE_URL: '/tuiles/{z}/{x}/{y}.png' }).tileSources.sources[0]!.url).toBe('/tuiles/{z}/{x}/{y}.png');
  });

  it('keeps a deployment that set TILE_URL on its one base map, not pre-downloadable, with Plan IGN’s attribution', () => {
    expect(loadConfig({ TILE_URL: 'https://cache.example/{z}/{x}/{y}.png' }).tileSources).toEqual({
      sources: [
        {
          id: 'custom',
          label: 'Fond de carte local',
          url: 'https://cache.example/{z}/{x}/{y}.png',
          attribution: PLAN_IGN.attribution,
          minZoom: 0,
          maxZoom: 19,
          allowsPrefetch: false,
          averageTileBytes: 20_000,
        },
      ],
      defaultSourceId: 'custom',
    });
  });

  it.each([
    [{ TILE_SOURCES: 'osm' }, ['osm'], 'osm'],
    [{ TILE_SOURCES: 'osm, plan-ign' }, ['osm', 'plan-ign'], 'osm'],
    [{ TILE_SOURCES: 'osm,plan-ign', TILE_DEFAULT: 'plan-ign' }, ['osm', 'plan-ign'], 'plan-ign'],
    [{ TILE_DEFAULT: 'osm' }, ['plan-ign', 'osm'], 'osm'],
    [{ TILE_URL: '/t/{z}/{x}/{y}.png', TILE_SOURCES: 'plan-ign,custom' }, ['plan-ign', 'custom'], 'custom'],
    [{ TILE_URL: '/t/{z}/{x}/{y}.png', TILE_SOURCES: 'plan-ign,custom', TILE_DEFAULT: 'plan-ign' }, ['plan-ign', 'custom'], 'plan-ign'],
  ])('reads %j: offers %j, opens on %s', (env, ids, defaultSourceId) => {
    const { tileSources } = loadConfig(env);
    expect(tileSources.sources.map((s) => s.id)).toEqual(ids);
    expect(tileSources.defaultSourceId).toBe(defaultSourceId);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT=« abc » : attendu un entier de 0 à 65535'],
    [{ PORT: '70000' }, 'PORT=« 70000 »'],
    [{ PORT: '80.5' }, 'PORT=« 80.5 »'],
    [{ TILE_URL: '/t/{z}/{x}/{y}.png', TILE_MAX_ZOOM: '30' }, 'TILE_MAX_ZOOM=« 30 »'],
    [{ TILE_URL: '/t/{z}/{x}/{y}.png', TILE_MIN_ZOOM: '12', TILE_MAX_ZOOM: '10' }, 'TILE_MIN_ZOOM (12) dépasse TILE_MAX_ZOOM (10)'],
    [{ TILE_URL: '/t/{z}/{x}/{y}.png', TILE_PREFETCH: 'oui' }, 'TILE_PREFETCH=« oui » : attendu 1 (oui) ou 0 (non)'],
    [{ TILE_URL: '/t/{z}/{x}/{y}.png', TILE_ATTRIBUTION: ' ' }, 'TILE_ATTRIBUTION est vide'],
    [{ TILE_URL: 'https://tile.example/{z}/{x}.png' }, 'il manque {y}'],
    [{ TILE_URL: 'ftp://tile.example/{z}/{x}/{y}.png' }, 'http(s)'],
    [{ TILE_URL: ' ' }, 'TILE_URL est vide'],
    [{ TILE_MAX_ZOOM: '18' }, 'TILE_MAX_ZOOM : sans effet sans TILE_URL'],
    [{ TILE_SOURCES: 'plan-ign,google' }, 'TILE_SOURCES : fond de carte inconnu « google » (attendu plan-ign, osm, custom)'],
    [{ TILE_SOURCES: 'osm,osm' }, 'TILE_SOURCES : « osm » est donné deux fois'],
    [{ TILE_SOURCES: ' , ' }, 'TILE_SOURCES est vide'],
    [{ TILE_SOURCES: 'plan-ign,custom' }, 'TILE_SOURCES propose « custom » mais TILE_URL n’est pas défini'],
    [{ TILE_URL: '/t/{z}/{x}/{y}.png', TILE_SOURCES: 'plan-ign' }, 'TILE_URL est défini mais TILE_SOURCES ne propose pas « custom »'],
    [{ TILE_SOURCES: 'plan-ign', TILE_DEFAULT: 'osm' }, 'TILE_DEFAULT=« osm » : ce fond n’est pas proposé (TILE_SOURCES : plan-ign)'],
    [{ TILE_DEFAULT: 'satellite' }, 'TILE_DEFAULT=« satellite » : ce fond n’est pas proposé'],
    [{ TILE_DEFAULT: '' }, 'TILE_DEFAULT est vide'],
    [{ HOST: ' ' }, 'HOST est vide'],
    [{ SERVE_SOURCE_MAPS: 'true' }, 'SERVE_SOURCE_MAPS=« true » : attendu 1 (oui) ou 0 (non)'],
    [{ SESSION_DAYS: '0' }, 'SESSION_DAYS=« 0 » : attendu un entier de 1 à 365'],
    [{ SESSION_DAYS: '400' }, 'SESSION_DAYS=« 400 »'],
    [{ COOKIE_SECURE: 'oui' }, 'COOKIE_SECURE=« oui » : attendu auto, true, false'],
    [{ TRUST_PROXY: 'le proxy' }, 'TRUST_PROXY=« le proxy »'],
    [{ CELLS_STALE_SECONDS: '300' }, 'CELLS_STALE_SECONDS=« 300 » : attendu un entier de 0 à 60'],
    [{ UPLOADS_AT_ONCE: '0' }, 'UPLOADS_AT_ONCE=« 0 » : attendu un entier de 1 à 64'],
    // Once let through, then refused by fastify at start with an English error.
    [{ TRUST_PROXY: '1.2.3' }, 'TRUST_PROXY=« 1.2.3 » : « 1.2.3 » n’est pas une adresse IP'],
    [{ TRUST_PROXY: '10.0.0.1, 10.0.0.0/33' }, '« 10.0.0.0/33 » n’est pas une adresse IP'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY=true croirait toute adresse écrite par le client'],
    [{ REPORT_RATE_MAX: '0' }, 'REPORT_RATE_MAX=« 0 »'],
    [{ LOGIN_RATE_WINDOW_S: '-5' }, 'LOGIN_RATE_WINDOW_S=« -5 »'],
    [{ PUBLIC_RATE_MAX: 'beaucoup' }, 'PUBLIC_RATE_MAX=« beaucoup »'],
    [{ VERDICT_MIN_READINGS: '0' }, 'VERDICT_MIN_READINGS=« 0 » : attendu un entier de 1 à 1000'],
    [{ VERDICT_MIN_CONTRIBUTORS: 'deux' }, 'VERDICT_MIN_CONTRIBUTORS=« deux » : attendu un entier de 1 à 100'],
    [{ VERDICT_MIN_RESIDENT_REPORTS: '-1' }, 'VERDICT_MIN_RESIDENT_REPORTS=« -1 » : attendu un entier de 0 à 1000'],
    [{ OPEN_DATA_MIN_CONTRIBUTORS: '0' }, 'OPEN_DATA_MIN_CONTRIBUTORS=« 0 » : attendu un entier de 1 à 100'],
    [{ VERDICT_CONFIDENCE_PERCENT: '100' }, 'VERDICT_CONFIDENCE_PERCENT=« 100 » : attendu un entier de 50 à 99'],
    [{ PROBE_ENABLED: 'oui' }, 'PROBE_ENABLED=« oui » : attendu 1 (oui) ou 0 (non)'],
    [{ PROBE_ENABLED: 'true' }, 'PROBE_ENABLED=« true »'],
    [{ PROBE_LATENCY_SAMPLES: '21' }, 'PROBE_LATENCY_SAMPLES=« 21 » : attendu un entier de 0 à 20'],
    [{ PROBE_DOWNLOAD_BYTES: '1000001' }, 'PROBE_DOWNLOAD_BYTES=« 1000001 » : attendu un entier de 0 à 1000000'],
    [{ PROBE_UPLOAD_BYTES: '2000000' }, 'PROBE_UPLOAD_BYTES=« 2000000 » : attendu un entier de 0 à 1000000'],
    [{ PROBE_UPLOAD_BYTES: '100 Ko' }, 'PROBE_UPLOAD_BYTES=« 100 Ko »'],
    [{ PROBE_STEP_TIMEOUT_MS: '100' }, 'PROBE_STEP_TIMEOUT_MS=« 100 » : attendu un entier de 500 à 60000'],
    [{ TRACK_SPACING_M: '0' }, 'TRACK_SPACING_M=« 0 » : attendu un entier de 10 à 5000'],
    [{ TRACK_INTERVAL_S: 'souvent' }, 'TRACK_INTERVAL_S=« souvent » : attendu un entier de 5 à 3600'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig({ PORT: '-1', TILE_URL: '/t/{z}/{x}/{y}.png', TILE_MAX_ZOOM: 'max' })).toThrow(/PORT=.*\n- TILE_MAX_ZOOM=/);
  });
});

describe('tileOrigin', () => {
  it.each([
    ['https://data.geopf.fr/wmts?LAYER=X&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}', 'https://data.geopf.fr'],
    ['http://127.0.0.1:9/{z}/{x}/{y}.png', 'http://127.0.0.1:9'],
    ['/tuiles/{z}/{x}/{y}.png', undefined],
  ])('%s → %s (for the Content-Security-Policy)', (url, origin) => {
    expect(tileOrigin(url)).toBe(origin);
  });
});
