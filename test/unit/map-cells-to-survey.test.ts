import { describe, expect, it } from 'vitest';
import { cellIdAt, formatCellId } from '../../src/domain/grid/cell-id.ts';
import { cellCentre, laeaToPosition } from '../../src/domain/grid/cell-geometry.ts';
import { cellsInOutline, cellsToSurvey, type OutlineGeometry } from '../../src/worker/cells-to-survey.ts';

/** A 2 km × 1 km rectangle on the grid's own axes (EPSG:3035), near Saint-Guilhem-le-Désert. */
const E = 3_760_000;
const N = 2_300_000;
const ring = (e0: number, n0: number, e1: number, n1: number) => [
  laeaToPosition(e0, n0),
  laeaToPosition(e1, n0),
  laeaToPosition(e1, n1),
  laeaToPosition(e0, n1),
  laeaToPosition(e0, n0),
];
const RECTANGLE: OutlineGeometry = { type: 'Polygon', coordinates: [ring(E, N, E + 2000, N + 1000)] };

describe('« Mailles encore à parcourir »: the commune’s 200 m cells without a reading', () => {
  it('takes the cells whose centre lies in the outline', () => {
    const cells = cellsInOutline(RECTANGLE);
    expect(cells).toHaveLength(10 * 5);
    expect(new Set(cells.map(formatCellId)).size).toBe(50);
    expect(cells.every((cell) => cell.east >= E && cell.east < E + 2000 && cell.north >= N && cell.north < N + 1000)).toBe(true);
  });

  it('leaves out a hole and counts a second piece', () => {
    const withHole: OutlineGeometry = {
      type: 'MultiPolygon',
      coordinates: [[ring(E, N, E + 2000, N + 1000), ring(E + 400, N + 400, E + 600, N + 600).reverse()], [ring(E + 4000, N, E + 4400, N + 400)]],
    };
    const ids = new Set(cellsInOutline(withHole).map(formatCellId));
    expect(ids.size).toBe(50 - 1 + 4);
    expect(ids.has(`CRS3035RES200mN${N + 400}E${E + 400}`)).toBe(false);
    expect(ids.has(`CRS3035RES200mN${N}E${E + 4200}`)).toBe(true);
  });

  it('removes the cells visited on the server and by this device', () => {
    const serverCell = `CRS3035RES200mN${N}E${E}`;
    const [lon, lat] = cellCentre({ resolutionM: 200, north: N + 800, east: E + 1800 });
    expect(cellIdAt(lon, lat)).toBe(`CRS3035RES200mN${N + 800}E${E + 1800}`);
    const result = cellsToSurvey(RECTANGLE, [serverCell, 'CRS3035RES200mN0E0'], [{ lat, lon }]);
    expect(result.total).toBe(50);
    expect(result.remaining).toBe(48);
    expect(result.geometry.type).toBe('Polygon');
  });
});
