import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';
import { ConfigError, DEFAULT_GRID, DEFAULT_SECURITY, loadConfig, tileOrigin } from '../../src/server/config.ts';

// Any file that exists will do: the file is read by main.ts, not by loadConfig.
const centresFile = new URL(import.meta.url).pathname;

describe('loadConfig', () => {
  it('has defaults that serve Plan IGN on localhost:8080', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dataDir: resolve('data'),
      staticDir: resolve('dist'),
      tiles: {
        url: expect.stringContaining('LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2'),
        attribution: '© <a href="https://www.ign.fr/">IGN</a> – Plan IGN',
        maxZoom: 19,
      },
      security: DEFAULT_SECURITY,
      grid: DEFAULT_GRID,
      field: DEFAULT_FIELD_SETTINGS,
    });
    expect(config.field).toEqual({
      probe: { enabled: true, latencySamples: 3, downloadBytes: 200_000, uploadBytes: 100_000, stepTimeoutMs: 5000 },
      track: { spacingM: 100, intervalS: 30 },
    });
    expect(config.grid).toEqual({ minReadings: 3, minContributors: 1, minResidentReports: 1, openDataMinContributors: 3 });
    expect(config.security).toEqual({
      sessionDays: 30,
      cookieSecure: 'auto',
      trustProxy: false,
      rateLimits: {
        reports: { max: 10, windowS: 600 },
        login: { max: 20, windowS: 900 },
        loginFailuresPerEmail: { max: 5, windowS: 900 },
        publicReads: { max: 120, windowS: 60 },
        probe: { max: 600, windowS: 60 },
      },
    });
    expect(config.communeCentresFile).toBeUndefined();
    expect(config.tiles.url).toMatch(/TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '3000',
      DATA_DIR: '/var/lib/couverture',
      STATIC_DIR: '/srv/couverture',
      TILE_URL: 'https://tile.example/{z}/{x}/{y}.png',
      TILE_ATTRIBUTION: '© exemple',
      TILE_MAX_ZOOM: '17',
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
      COMMUNE_CENTRES_FILE: centresFile,
      VERDICT_MIN_READINGS: '5',
      VERDICT_MIN_CONTRIBUTORS: '2',
      VERDICT_MIN_RESIDENT_REPORTS: '0',
      OPEN_DATA_MIN_CONTRIBUTORS: '4',
      PROBE_ENABLED: '0',
      PROBE_LATENCY_SAMPLES: '5',
      PROBE_DOWNLOAD_BYTES: '1000000',
      PROBE_UPLOAD_BYTES: '0',
      PROBE_STEP_TIMEOUT_MS: '8000',
      TRACK_SPACING_M: '50',
      TRACK_INTERVAL_S: '60',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 3000,
      dataDir: '/var/lib/couverture',
      staticDir: '/srv/couverture',
      tiles: { url: 'https://tile.example/{z}/{x}/{y}.png', attribution: '© exemple', maxZoom: 17 },
      security: {
        sessionDays: 7,
        cookieSecure: true,
        trustProxy: 1,
        rateLimits: {
          reports: { max: 5, windowS: 300 },
          login: { max: 3, windowS: 60 },
          loginFailuresPerEmail: { max: 4, windowS: 600 },
          publicReads: { max: 30, windowS: 10 },
          probe: { max: 50, windowS: 30 },
        },
      },
      grid: { minReadings: 5, minContributors: 2, minResidentReports: 0, openDataMinContributors: 4 },
      field: {
        probe: { enabled: false, latencySamples: 5, downloadBytes: 1_000_000, uploadBytes: 0, stepTimeoutMs: 8000 },
        track: { spacingM: 50, intervalS: 60 },
      },
      communeCentresFile: centresFile,
    });
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1, 10.0.0.2', '10.0.0.1, 10.0.0.2'],
  ])('reads TRUST_PROXY=%j', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).security.trustProxy).toEqual(expected);
  });

  it('reads COOKIE_SECURE=false', () => {
    expect(loadConfig({ COOKIE_SECURE: 'false' }).security.cookieSecure).toBe(false);
  });

  it('accepts tiles served from this server', () => {
    expect(loadConfig({ TILE_URL: '/tuiles/{z}/{x}/{y}.png' }).tiles.url).toBe('/tuiles/{z}/{x}/{y}.png');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT=« abc » : attendu un entier de 0 à 65535'],
    [{ PORT: '70000' }, 'PORT=« 70000 »'],
    [{ PORT: '80.5' }, 'PORT=« 80.5 »'],
    [{ TILE_MAX_ZOOM: '30' }, 'TILE_MAX_ZOOM=« 30 »'],
    [{ TILE_URL: 'https://tile.example/{z}/{x}.png' }, 'il manque {y}'],
    [{ TILE_URL: 'ftp://tile.example/{z}/{x}/{y}.png' }, 'http(s)'],
    [{ HOST: ' ' }, 'HOST est vide'],
    [{ SESSION_DAYS: '0' }, 'SESSION_DAYS=« 0 » : attendu un entier de 1 à 365'],
    [{ SESSION_DAYS: '400' }, 'SESSION_DAYS=« 400 »'],
    [{ COOKIE_SECURE: 'oui' }, 'COOKIE_SECURE=« oui » : attendu auto, true, false'],
    [{ TRUST_PROXY: 'le proxy' }, 'TRUST_PROXY=« le proxy »'],
    [{ REPORT_RATE_MAX: '0' }, 'REPORT_RATE_MAX=« 0 »'],
    [{ LOGIN_RATE_WINDOW_S: '-5' }, 'LOGIN_RATE_WINDOW_S=« -5 »'],
    [{ PUBLIC_RATE_MAX: 'beaucoup' }, 'PUBLIC_RATE_MAX=« beaucoup »'],
    [{ VERDICT_MIN_READINGS: '0' }, 'VERDICT_MIN_READINGS=« 0 » : attendu un entier de 1 à 1000'],
    [{ VERDICT_MIN_CONTRIBUTORS: 'deux' }, 'VERDICT_MIN_CONTRIBUTORS=« deux » : attendu un entier de 1 à 100'],
    [{ VERDICT_MIN_RESIDENT_REPORTS: '-1' }, 'VERDICT_MIN_RESIDENT_REPORTS=« -1 » : attendu un entier de 0 à 1000'],
    [{ OPEN_DATA_MIN_CONTRIBUTORS: '0' }, 'OPEN_DATA_MIN_CONTRIBUTORS=« 0 » : attendu un entier de 1 à 100'],
    [{ PROBE_ENABLED: 'oui' }, 'PROBE_ENABLED=« oui » : attendu 1 (oui) ou 0 (non)'],
    [{ PROBE_ENABLED: 'true' }, 'PROBE_ENABLED=« true »'],
    [{ PROBE_LATENCY_SAMPLES: '21' }, 'PROBE_LATENCY_SAMPLES=« 21 » : attendu un entier de 0 à 20'],
    [{ PROBE_DOWNLOAD_BYTES: '1000001' }, 'PROBE_DOWNLOAD_BYTES=« 1000001 » : attendu un entier de 0 à 1000000'],
    [{ PROBE_UPLOAD_BYTES: '2000000' }, 'PROBE_UPLOAD_BYTES=« 2000000 » : attendu un entier de 0 à 1000000'],
    [{ PROBE_UPLOAD_BYTES: '100 Ko' }, 'PROBE_UPLOAD_BYTES=« 100 Ko »'],
    [{ PROBE_STEP_TIMEOUT_MS: '100' }, 'PROBE_STEP_TIMEOUT_MS=« 100 » : attendu un entier de 500 à 60000'],
    [{ TRACK_SPACING_M: '0' }, 'TRACK_SPACING_M=« 0 » : attendu un entier de 10 à 5000'],
    [{ TRACK_INTERVAL_S: 'souvent' }, 'TRACK_INTERVAL_S=« souvent » : attendu un entier de 5 à 3600'],
    [{ COMMUNE_CENTRES_FILE: '/nulle/part.json' }, 'COMMUNE_CENTRES_FILE=« /nulle/part.json » : fichier introuvable'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig({ PORT: '-1', TILE_MAX_ZOOM: 'max' })).toThrow(/PORT=.*\n- TILE_MAX_ZOOM=/);
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
