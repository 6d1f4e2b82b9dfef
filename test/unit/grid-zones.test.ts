import { describe, expect, it } from 'vitest';
import {
  cellRing,
  cellsOutline,
  formatCellId,
  judgeCell,
  suggestZones,
  toLaea,
  zonesFeatureCollection,
  type CellRef,
  type CellZone,
  type JudgedCell,
  type LonLat,
} from '../../src/domain/grid/index.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Level } from '../../src/domain/level.ts';
import { MONTPELLIER_EAST as E, MONTPELLIER_NORTH as N, statsWithLevels } from './grid-fixtures.ts';

const R = 200;
const ref = (x: number, y: number, resolutionM = R): CellRef => ({ resolutionM, east: E + x * resolutionM, north: N + y * resolutionM });

/**
 * A judged cell at column x, row y, whose four operators say `levels`, from `contributors`.
 * Four readings each by default: three alike are across 50 % at 95 % (interval rule, issue 17).
 */
function judged(x: number, y: number, levels: [Level, Level, Level, Level], contributors = ['a'], readings = 4): JudgedCell {
  const cell = ref(x, y);
  const operators = Object.fromEntries(
    OPERATORS.map((o, i) => [
      o,
      statsWithLevels(
        Array.from({ length: readings }, () => levels[i]!),
        contributors,
      ),
    ]),
  );
  const evidence = { operators, residentReports: 0 };
  return { cell: formatCellId(cell), ref: cell, ...evidence, verdict: judgeCell(evidence) };
}
const BLANCHE: [Level, Level, Level, Level] = ['PC', 'PC', 'CL', 'PC'];
const GRISE: [Level, Level, Level, Level] = ['TBC', 'PC', 'CL', 'PC'];
const COVERED: [Level, Level, Level, Level] = ['TBC', 'BC', 'CL', 'PC'];

/** Area in m² of an RFC 7946 polygon (holes subtracted), measured back in EPSG:3035. */
function area(polygon: LonLat[][]): number {
  const ringArea = (ring: LonLat[]) => {
    const points = ring.map(([lon, lat]) => toLaea(lon, lat));
    let twice = 0;
    for (let i = 0; i + 1 < points.length; i += 1) twice += points[i]![0] * points[i + 1]![1] - points[i + 1]![0] * points[i]![1];
    return twice / 2;
  };
  return polygon.reduce((sum, ring) => sum + ringArea(ring), 0);
}
/**
 * Equal to the sum of the cells' areas, give or take the rounding of GeoJSON positions to
 * 1e-7° (half a centimetre along each side: about 1e-4 of a cell's area).
 */
function expectArea(actual: number, cells: number) {
  expect(Math.abs(actual - cells * R * R)).toBeLessThan(cells * R * R * 2e-4);
}
const polygonsOf = (g: ReturnType<typeof cellsOutline>) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** Every ring closed, at least 4 distinct corners, no vertex twice. */
function expectSimpleRings(g: ReturnType<typeof cellsOutline>) {
  for (const polygon of polygonsOf(g)) {
    for (const ring of polygon) {
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      const corners = ring.slice(0, -1).map((p) => p.join(','));
      expect(corners.length).toBeGreaterThanOrEqual(4);
      expect(new Set(corners).size).toBe(corners.length);
    }
  }
}

describe('cellsOutline: the exact union of grid squares', () => {
  it('one cell is its own ring', () => {
    expect(cellsOutline([ref(0, 0)])).toEqual({ type: 'Polygon', coordinates: [cellRing(ref(0, 0))] });
  });

  it('a 3 × 1 row is one rectangle: four corners, no vertex in the middle of a side', () => {
    const outline = cellsOutline([ref(0, 0), ref(1, 0), ref(2, 0)]);
    expect(outline.type).toBe('Polygon');
    const [ring] = polygonsOf(outline)[0]!;
    expect(ring).toHaveLength(5);
    expect(ring![0]).toEqual(cellRing(ref(0, 0))[0]); // SW of the first cell
    expect(ring).toContainEqual(cellRing(ref(2, 0))[1]); // SE of the last
    expectArea(area(polygonsOf(outline)[0]!), 3);
  });

  it('a ring of eight cells has a hole, wound clockwise inside a counter-clockwise exterior', () => {
    const cells = [ref(0, 0), ref(1, 0), ref(2, 0), ref(0, 1), ref(2, 1), ref(0, 2), ref(1, 2), ref(2, 2)];
    const outline = cellsOutline(cells);
    expect(outline.type).toBe('Polygon');
    const [exterior, hole] = polygonsOf(outline)[0]!;
    expectArea(area([exterior!]), 9);
    expectArea(-area([hole!]), 1);
    expect(hole).toEqual(expect.arrayContaining(cellRing(ref(1, 1)).slice(0, 4)));
    expectSimpleRings(outline);
  });

  it('cells touching only at a corner are two squares meeting at a point', () => {
    const outline = cellsOutline([ref(0, 0), ref(1, 1)]);
    expect(outline.type).toBe('MultiPolygon');
    expect(polygonsOf(outline)).toEqual([[cellRing(ref(0, 0))], [cellRing(ref(1, 1))]]);
  });

  it('a hole reaching the outside through a corner stays a hole, and every ring stays simple', () => {
    // 3 × 3 minus the centre and the north-east corner: the empty centre touches the outside
    // only at the corner shared by (2,1) and (1,2).
    const cells = [ref(0, 0), ref(1, 0), ref(2, 0), ref(0, 1), ref(2, 1), ref(0, 2), ref(1, 2)];
    const outline = cellsOutline(cells);
    expect(outline.type).toBe('Polygon');
    expect(polygonsOf(outline)[0]).toHaveLength(2);
    expectArea(area(polygonsOf(outline)[0]!), 7);
    expectSimpleRings(outline);
  });

  it('a checkerboard is as many squares as it has cells', () => {
    const cells = [ref(0, 0), ref(2, 0), ref(1, 1), ref(0, 2), ref(2, 2)];
    const outline = cellsOutline(cells);
    expect(outline.type).toBe('MultiPolygon');
    expect(polygonsOf(outline)).toHaveLength(5);
    expectSimpleRings(outline);
  });

  it('an island in a hole is a polygon of its own', () => {
    const frame = [];
    for (let x = 0; x < 5; x += 1) for (let y = 0; y < 5; y += 1) if (x === 0 || y === 0 || x === 4 || y === 4) frame.push(ref(x, y));
    const outline = cellsOutline([...frame, ref(2, 2)]);
    expect(outline.type).toBe('MultiPolygon');
    const polygons = polygonsOf(outline);
    expect(polygons.map((p) => p.length).sort()).toEqual([1, 2]);
    expectArea(
      polygons.reduce((sum, p) => sum + area(p), 0),
      17,
    );
  });

  it('refuses cells of different grids, and gives an empty MultiPolygon for no cells', () => {
    expect(() => cellsOutline([ref(0, 0), ref(0, 0, 1000)])).toThrow(RangeError);
    expect(cellsOutline([])).toEqual({ type: 'MultiPolygon', coordinates: [] });
  });
});

describe('suggestZones', () => {
  it('joins blanche and grise cells sharing a side, not those touching at a corner, and not across covered cells', () => {
    const cells = [
      // Zone A: three cells in an L, blanche and grise together.
      judged(0, 0, BLANCHE),
      judged(1, 0, BLANCHE),
      judged(1, 1, GRISE),
      // Touches A's (1,1) only at a corner: a zone of its own.
      judged(2, 2, BLANCHE),
      // Beyond a covered cell: another zone.
      judged(3, 0, COVERED),
      judged(4, 0, GRISE),
      // Insufficient cells (one operator unmeasured) break zones too.
      { ...judged(5, 0, BLANCHE), verdict: judgeCell({ operators: {}, residentReports: 0 }) },
    ];
    const zones = suggestZones(cells);
    expect(zones.map((z) => z.cells)).toEqual([
      [formatCellId(ref(0, 0)), formatCellId(ref(1, 0)), formatCellId(ref(1, 1))].sort(),
      // Equal evidence: by id, i.e. south first.
      [formatCellId(ref(4, 0))],
      [formatCellId(ref(2, 2))],
    ]);
    expect(zones[0]).toMatchObject({ blanche: 2, grise: 1, readings: 48, contributors: 1 });
    expect(zones[0]!.outline.type).toBe('Polygon');
    expectArea(area(polygonsOf(zones[0]!.outline)[0]!), 3);
    const box = zones[0]!.bbox;
    const corners = [cellRing(ref(0, 0))[0]!, cellRing(ref(1, 1))[2]!];
    expect(box.minLat).toBeLessThanOrEqual(corners[0]![1]);
    expect(box.maxLat).toBeGreaterThanOrEqual(corners[1]![1]);
  });

  it('ranks by readings, then contributors, then size', () => {
    const zones = suggestZones([
      judged(0, 0, BLANCHE, ['a'], 4), // 16 readings
      judged(10, 0, BLANCHE, ['a'], 12), // 48: most readings
      judged(20, 0, GRISE, ['a', 'b'], 8), // 32, two contributors
      judged(30, 0, GRISE, ['a'], 4), // 32 over two cells, one contributor
      judged(31, 0, BLANCHE, ['a'], 4),
      judged(40, 0, BLANCHE, ['a'], 8), // 32 in one cell, one contributor
    ]);
    expect(zones.map((z) => z.cells[0])).toEqual([ref(10, 0), ref(20, 0), ref(30, 0), ref(40, 0), ref(0, 0)].map(formatCellId));
  });

  it('can be limited to zones blanches, and to zones of a minimum size', () => {
    const cells = [judged(0, 0, BLANCHE), judged(1, 0, GRISE), judged(5, 0, BLANCHE)];
    const onlyBlanche = suggestZones(cells, { zones: ['zone-blanche'] as CellZone[], minCells: 1 });
    expect(onlyBlanche.map((z) => z.cells.length)).toEqual([1, 1]);
    expect(suggestZones(cells, { zones: ['zone-blanche', 'zone-grise'], minCells: 2 }).map((z) => z.cells.length)).toEqual([2]);
  });

  it('exports as GeoJSON features with their rank and bbox', () => {
    const zones = suggestZones([judged(0, 0, BLANCHE), judged(1, 0, BLANCHE), judged(9, 9, GRISE)]);
    const collection = zonesFeatureCollection(zones);
    expect(collection.features.map((f) => [f.id, f.properties.rank, f.geometry.type])).toEqual([
      [zones[0]!.id, 1, 'Polygon'],
      [zones[1]!.id, 2, 'Polygon'],
    ]);
    const [first] = collection.features;
    expect(first!.bbox).toEqual([zones[0]!.bbox.minLon, zones[0]!.bbox.minLat, zones[0]!.bbox.maxLon, zones[0]!.bbox.maxLat]);
    expect(first!.properties).not.toHaveProperty('outline');
  });
});
