import { describe, expect, it } from 'vitest';
import { createCommuneOutlines } from '../../src/server/communes/outlines.ts';
import { HERAULT_OUTLINES, loadOutlineFiles } from './commune-data.ts';
import { useTestApps, RELAXED_SECURITY, TEST_OUTLINES, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

function getOutline(code: string) {
  return server!.app.inject({ method: 'GET', url: `/api/v1/communes/${code}/outline` });
}

describe('GET /api/v1/communes/:code/outline', () => {
  it('answers the commune’s Feature from the outlines loaded in the database, to anyone, with its code and name only', async () => {
    server = await openApp();
    // Loaded after the app started: the route reads the database at each request.
    await loadOutlineFiles(server.store, HERAULT_OUTLINES);
    const response = await getOutline('34172');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
    const feature = response.json();
    expect(feature).toMatchObject({ type: 'Feature', properties: { code: '34172', nom: 'Montpellier' } });
    expect(Object.keys(feature.properties)).toEqual(['code', 'nom']);
    expect(['Polygon', 'MultiPolygon']).toContain(feature.geometry.type);
  });

  it('answers 404 with a French message saying what to load, or that the code is unknown', async () => {
    server = await openApp();
    await loadOutlineFiles(server.store, HERAULT_OUTLINES);
    const nimes = await getOutline('30189');
    expect(nimes.statusCode).toBe(404);
    expect(nimes.json().error).toBe(
      'Pas de contour pour Nîmes (30189) : ce serveur n’a pas les contours du département 30 (npm run communes -- fetch --departement 30).',
    );
    for (const code of ['99999', 'n’importe quoi']) {
      const response = await getOutline(encodeURIComponent(code));
      expect(response.statusCode, code).toBe(404);
      expect(response.json().error).toBe(`Pas de contour pour la commune « ${code} » : code INSEE inconnu de ce serveur.`);
    }
  });

  it('answers outlines handed to the app before the database’s (tests)', async () => {
    server = await openApp({ communeOutlines: createCommuneOutlines(TEST_OUTLINES) });
    expect((await getOutline('34261')).json()).toEqual(TEST_OUTLINES[0]);
  });

  it('is rate-limited like the other public reads', async () => {
    const security = { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, publicReads: { max: 2, windowS: 60 } } };
    server = await openApp({ security, communeOutlines: createCommuneOutlines(TEST_OUTLINES) });
    expect((await getOutline('34261')).statusCode).toBe(200);
    expect((await getOutline('34010')).statusCode).toBe(200);
    const refused = await getOutline('34261');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatch(/^Trop de requêtes/);
  });
});
