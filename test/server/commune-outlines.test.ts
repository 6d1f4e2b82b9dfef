import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommuneOutlines, readOutlinesFile } from '../../src/server/communes/outlines.ts';
import { openTestApp, RELAXED_SECURITY, TEST_OUTLINES, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The file as geo.api.gouv.fr serves it, with a feature of another shape that must be skipped. */
function writeContoursFile(name = 'communes-contours.geojson'): string {
  const file = join(tempDir(), name);
  const point = { type: 'Feature', geometry: { type: 'Point', coordinates: [3.5, 43.7] }, properties: { code: '34172', nom: 'Montpellier' } };
  const withExtra = TEST_OUTLINES.map((f) => ({ ...f, properties: { ...f.properties, population: 250 } }));
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [...withExtra, point] }));
  return file;
}

function getOutline(code: string) {
  return server!.app.inject({ method: 'GET', url: `/api/v1/communes/${code}/outline` });
}

describe('GET /api/v1/communes/:code/outline', () => {
  it('answers the commune’s Feature from the contours file, to anyone, with its code and name only', async () => {
    server = await openTestApp(tempDir(), { communeOutlines: createCommuneOutlines(readOutlinesFile(writeContoursFile())) });
    const polygon = await getOutline('34261');
    expect(polygon.statusCode).toBe(200);
    expect(polygon.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(polygon.json()).toEqual(TEST_OUTLINES[0]);
    const multi = await getOutline('34010');
    expect(multi.json()).toEqual({ type: 'Feature', geometry: TEST_OUTLINES[1]!.geometry, properties: { code: '34010', nom: 'Aniane' } });
  });

  it('answers 404 with a French message for a commune the file does not have', async () => {
    server = await openTestApp(tempDir(), { communeOutlines: createCommuneOutlines(readOutlinesFile(writeContoursFile())) });
    // Montpellier's feature in the file is a Point: not an outline.
    for (const code of ['34172', '99999', 'n’importe quoi']) {
      const response = await getOutline(encodeURIComponent(code));
      expect(response.statusCode, code).toBe(404);
      expect(response.json().error).toBe(`Pas de contour pour la commune « ${code} » : code INSEE inconnu de ce serveur.`);
    }
  });

  it('answers 404 saying why when the deployment has no contours file', async () => {
    server = await openTestApp(tempDir());
    const response = await getOutline('34261');
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toContain('COMMUNE_CONTOURS_FILE');
  });

  it('is rate-limited like the other public reads', async () => {
    const security = { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, publicReads: { max: 2, windowS: 60 } } };
    server = await openTestApp(tempDir(), { security, communeOutlines: createCommuneOutlines(TEST_OUTLINES) });
    expect((await getOutline('34261')).statusCode).toBe(200);
    expect((await getOutline('34010')).statusCode).toBe(200);
    const refused = await getOutline('34261');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatch(/^Trop de requêtes/);
  });
});

describe('readOutlinesFile', () => {
  it('keeps the Polygon and MultiPolygon features with a code and a name', () => {
    const outlines = readOutlinesFile(writeContoursFile());
    expect(outlines.map((f) => f.properties.code)).toEqual(['34261', '34010']);
    expect(createCommuneOutlines(outlines).size).toBe(2);
  });

  it.each([
    ['not JSON', 'JSON illisible'],
    [JSON.stringify([{ code: '34172', centre: { coordinates: [3.8, 43.6] } }]), 'attendu une FeatureCollection GeoJSON'],
    [JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { code: '34172' } }] }), 'aucun contour de commune lisible'],
  ])('refuses %s with a French message', (text, message) => {
    const file = join(tempDir(), 'bad.geojson');
    writeFileSync(file, text);
    expect(() => readOutlinesFile(file)).toThrow(message);
  });
});
