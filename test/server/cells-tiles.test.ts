import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bbox } from '../../src/domain/geojson.ts';
import { cellAt, parseCellId } from '../../src/domain/grid/cell-id.ts';
import { formatTile, tileOfCell, tilesCovering, type CellTile } from '../../src/domain/grid/cell-tiles.ts';
import { addUser, makeReading, MONTPELLIER, postReadings, SAINT_GUILHEM, useTempDir, useTestApps, type Caller } from './fixtures.ts';

/**
 * GET /api/v1/cells?tile=east,north (src/domain/grid/cell-tiles.ts): exactly the cells of one
 * tile of the grid, the same cells, byte for byte, as a box's answer holds there; refused in
 * French when the tile is not one; kept and validated under the tile's own version
 * (storage/grid-version.ts's gridTileVersions), so that data elsewhere leaves its answer and
 * ETag alone. On both stores; across scopes: test/security/cells-tile-other-departement.test.ts.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

const ANIANE = { lat: 43.6856, lon: 3.5869 };
/** Saint-Guilhem, Aniane and Montpellier, with room around them. */
const BOX: Bbox = { minLon: 3.45, minLat: 43.55, maxLon: 3.95, maxLat: 43.8 };
const BOX_TEXT = `${BOX.minLon},${BOX.minLat},${BOX.maxLon},${BOX.maxLat}`;

type CompactBody = { cells: ({ cellId: string } & Record<string, unknown>)[] };
type GeoBody = { features: { id: string; properties: { cellId: string } }[] };

function tileUrl(tile: CellTile, extra = '') {
  return `/api/v1/cells?tile=${formatTile(tile)}&resolution=${tile.resolutionM}${extra}`;
}

/** Each cell of an answer (compact or GeoJSON) as its JSON text, by id. */
function cellTexts(format: 'compact' | 'geojson', body: unknown): Map<string, string> {
  if (format === 'compact') return new Map((body as CompactBody).cells.map((cell) => [cell.cellId, JSON.stringify(cell)]));
  return new Map((body as GeoBody).features.map((feature) => [feature.properties.cellId, JSON.stringify(feature)]));
}

async function surveyedApp() {
  const server = await openApp();
  const agent = await addUser(server.app, { communes: ['34261', '34010', '34172'] });
  const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
  const readings = [SAINT_GUILHEM, ANIANE, MONTPELLIER].flatMap((place) =>
    (['orange', 'sfr', 'free'] as const).flatMap((operator) => [0, 0.002, 0.011].map((d) => makeReading({ lat: place.lat + d, lon: place.lon - d, operator }))),
  );
  expect((await postReadings(server.app, readings, agent)).statusCode).toBe(200);
  return { ...server, agent, reviewer };
}

async function get(app: Awaited<ReturnType<typeof openApp>>['app'], url: string, caller: Pick<Caller, 'headers'>, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers: { ...caller.headers, ...headers } });
}

describe('GET /api/v1/cells?tile=', () => {
  it('answers exactly the tile’s cells, each the same as in a box’s answer, every cell of the box in exactly one tile', async () => {
    const { app, reviewer } = await surveyedApp();
    for (const format of ['compact', 'geojson'] as const) {
      for (const resolutionM of [200, 1000, 10_000]) {
        const boxAnswer = await get(app, `/api/v1/cells?bbox=${BOX_TEXT}&resolution=${resolutionM}&format=${format}`, reviewer);
        expect(boxAnswer.statusCode, boxAnswer.body).toBe(200);
        const boxCells = cellTexts(format, boxAnswer.json());
        expect(boxCells.size).toBeGreaterThan(1);
        const seen = new Map<string, number>();
        for (const tile of tilesCovering(BOX, resolutionM)) {
          const response = await get(app, tileUrl(tile, `&format=${format}`), reviewer);
          expect(response.statusCode, response.body).toBe(200);
          for (const [id, text] of cellTexts(format, response.json())) {
            expect(tileOfCell(parseCellId(id)!), id).toEqual(tile);
            // Every reading lies inside the box: a tile's cell is one of the box's, the same bytes.
            expect(text, `${format} ${id}`).toBe(boxCells.get(id));
            seen.set(id, (seen.get(id) ?? 0) + 1);
          }
        }
        expect([...seen.keys()].sort(), `${format} ${resolutionM} m`).toEqual([...boxCells.keys()].sort());
        expect([...seen.values()].every((count) => count === 1)).toBe(true);
      }
    }
  });

  it('refuses a tile that is not one, or both bbox and tile, or neither, with a French message saying what to send; never a 500', async () => {
    const { app, reviewer } = await surveyedApp();
    const refused: [string, RegExp][] = [
      ['tile=', /tile=« *» : attendu deux entiers positifs est,nord/],
      ['tile=3750000', /attendu deux entiers positifs est,nord/],
      ['tile=-50000,2250000&resolution=1000', /attendu deux entiers positifs/],
      ['tile=3750100,2250000&resolution=1000', /n’est pas un coin de tuile à resolution=1000 .*multiples de 50000 m.* tile=3750000,2250000/],
      ['tile=3760000,2250000&resolution=1000', /tile=3750000,2250000/],
      ['tile=3750000,2250000&resolution=2000', /multiples de 100000 m.* tile=3700000,2200000/],
      ['tile=999999999999,2250000', /attendu deux entiers positifs/],
      ['tile=abc,def', /attendu deux entiers positifs/],
      ['tile=3.75e6,2250000', /attendu deux entiers positifs/],
      ['tile=3750000,%202250000', /attendu deux entiers positifs/],
      ['tile=3750000,2250000,0', /attendu deux entiers positifs/],
      ['tile=3750000,2250000&tile=3800000,2250000&resolution=1000', /donné 2 fois/],
      ['tile=3750000,2250000&resolution=300', /resolution=« 300 »/],
      [`tile=3750000,2250000&resolution=1000&bbox=${BOX_TEXT}`, /bbox et tile donnés ensemble : envoyez l’un ou l’autre/],
      ['resolution=1000', /Paramètre bbox ou tile manquant.*tile=est,nord/],
      ['tile=3750000,2250000&resolution=1000&format=png', /format=« png »/],
    ];
    for (const [query, message] of refused) {
      const response = await get(app, `/api/v1/cells?${query}`, reviewer);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(400);
      expect(response.json().error, query).toMatch(message);
    }
  });

  it('answers 304 to a repeat view, keeps the answer of a tile whose data did not change, and a new one for new data in it', async () => {
    const { app, store, agent, reviewer } = await surveyedApp();
    const tile = tileOfCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!);
    const url = tileUrl(tile, '&format=compact');
    const first = await get(app, url, reviewer);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    const readingsBefore = (first.json() as CompactBody).cells.reduce((sum, cell) => sum + (cell.readings as number), 0);
    expect((await get(app, url, reviewer, { 'if-none-match': etag })).statusCode).toBe(304);

    // New data in another 10 km cell (Montpellier, 25 km away).
    const [versionBefore] = await store.gridTileVersions([tile]);
    expect((await postReadings(app, [makeReading({ ...MONTPELLIER, operator: 'bouygues' })], agent)).statusCode).toBe(200);
    // The tile's own version (storage/grid-version.ts): its kept answer, not built again.
    expect(await store.gridTileVersions([tile])).toEqual([versionBefore]);
    const groups = vi.spyOn(store, 'gridGroups');
    const again = await get(app, url, reviewer);
    expect(again.statusCode).toBe(200);
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe(first.body);
    expect(groups).not.toHaveBeenCalled();
    expect((await get(app, url, reviewer, { 'if-none-match': etag })).statusCode).toBe(304);

    // New data in the tile: a new ETag, and the new reading in the answer.
    expect((await postReadings(app, [makeReading({ ...SAINT_GUILHEM, operator: 'bouygues' })], agent)).statusCode).toBe(200);
    const changed = await get(app, url, reviewer, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(groups).toHaveBeenCalled();
    const readingsAfter = (changed.json() as CompactBody).cells.reduce((sum, cell) => sum + (cell.readings as number), 0);
    expect(readingsAfter).toBe(readingsBefore + 1);
  });
});
