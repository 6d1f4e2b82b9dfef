import { afterEach, expect, it } from 'vitest';
import { openTestApp, RELAXED_SECURITY, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Finding: open data is meant for portals, whose pages fetch the files from the browser, but
 * the answers carried no Access-Control-Allow-Origin and helmet's
 * Cross-Origin-Resource-Policy: same-origin, so any other origin's page was refused them.
 * /api/v1/open-data/* now answers `Access-Control-Allow-Origin: *` and
 * `Cross-Origin-Resource-Policy: cross-origin` (never with credentials); the rest of the API
 * stays same-origin. A GET without custom headers is a CORS simple request: no preflight.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

const OPEN_DATA = ['grid.csv', 'grid.geojson', 'grid.schema.json', 'datapackage.json'].map((file) => `/api/v1/open-data/${file}`);
const PORTAL = { origin: 'https://data.herault.fr' };

it.each(OPEN_DATA)('%s is readable by another origin’s page, without credentials', async (url) => {
  server = await openTestApp(tempDir());
  const response = await server.app.inject({ method: 'GET', url, headers: PORTAL });
  expect(response.statusCode).toBe(200);
  expect(response.headers['access-control-allow-origin']).toBe('*');
  expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
  expect(response.headers['access-control-allow-credentials']).toBeUndefined();
});

it('its refusals are readable too (a 400 for a parameter, a 429 past the limit), so the portal can say why', async () => {
  server = await openTestApp(tempDir(), {
    security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, publicReads: { max: 1, windowS: 60 } } },
  });
  const refused = await server.app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv?departement=34', headers: PORTAL });
  expect(refused.statusCode).toBe(400);
  expect(refused.headers['access-control-allow-origin']).toBe('*');
  const limited = await server.app.inject({ method: 'GET', url: '/api/v1/open-data/grid.csv', headers: PORTAL });
  expect(limited.statusCode).toBe(429);
  expect(limited.headers['access-control-allow-origin']).toBe('*');
  expect(limited.json().error).toMatch(/Trop de requêtes/);
});

it('the rest of the API is not opened to other origins', async () => {
  server = await openTestApp(tempDir());
  for (const url of ['/api/v1/health', '/api/v1/reports', '/api/v1/communes']) {
    const response = await server.app.inject({ method: 'GET', url, headers: PORTAL });
    expect(response.headers['access-control-allow-origin'], url).toBeUndefined();
    expect(response.headers['cross-origin-resource-policy'], url).toBe('same-origin');
  }
});
