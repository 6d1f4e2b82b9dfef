import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addReading,
  addReport,
  aggregateReadings,
  cellsOutline,
  coarsenGrid,
  createGrid,
  fromLaea,
  gridFromJson,
  gridToJson,
  judgeGrid,
  medianDbm,
  medianLevel,
  mergeGrid,
  toLaea,
  type CellRef,
  type CoverageGrid,
  type GridReading,
} from '../../src/domain/grid/index.ts';
import { LEVELS, readingLevel } from '../../src/domain/level.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { SETTINGS, SMS_RESULTS, VOICE_RESULTS } from '../../src/domain/reading.ts';
import { PLAUSIBLE_DBM, type RadioTechnology } from '../../src/domain/signal.ts';
import { MONTPELLIER_EAST as E, MONTPELLIER_NORTH as N } from './grid-fixtures.ts';

/**
 * Random readings on a 1 km × 600 m patch of Montpellier (15 cells of 200 m), so that
 * groups get several readings; some right on cell borders, some from residents.
 */
const arbReading: fc.Arbitrary<GridReading & { contributor: string }> = fc
  .record({
    // Metres from the patch's corner; a third of them on a border (multiple of 200 m).
    x: fc.oneof(
      fc.double({ min: 0, max: 999.99, noNaN: true }),
      fc.integer({ min: 0, max: 4 }).map((i) => i * 200),
    ),
    y: fc.oneof(
      fc.double({ min: 0, max: 599.99, noNaN: true }),
      fc.integer({ min: 0, max: 2 }).map((i) => i * 200),
    ),
    operator: fc.constantFrom(...OPERATORS),
    technology: fc.constantFrom('none', '2G', '3G', '4G', '5G', '4G', '4G'),
    setting: fc.constantFrom(...SETTINGS),
    source: fc.constantFrom('agent', 'agent', 'agent', 'import', 'resident'),
    dbmShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    signalBars: fc.integer({ min: 0, max: 4 }),
    voice: fc.option(fc.constantFrom(...VOICE_RESULTS), { nil: undefined }),
    sms: fc.option(fc.constantFrom(...SMS_RESULTS), { nil: undefined }),
    minutes: fc.integer({ min: 0, max: 60 * 24 * 60 }),
    offset: fc.constantFrom('Z', '+02:00', '-05:00'),
    contributor: fc.constantFrom('agent-1', 'agent-2', 'agent-3', 'device-a', 'device-b'),
  })
  .map(({ x, y, technology, dbmShare, signalBars, minutes, offset, ...rest }) => {
    // Positions given in metres, on the border when x or y is a whole multiple of 200.
    const [lon, lat] = fromLaea(E + x, N + y);
    const recordedAt = new Date(Date.parse('2026-03-01T00:00:00Z') + minutes * 60_000).toISOString().replace('Z', offset === 'Z' ? 'Z' : offset);
    const reading: GridReading & { contributor: string } = {
      ...rest,
      lon,
      lat,
      technology: technology as GridReading['technology'],
      recordedAt,
    };
    if (technology !== 'none') {
      const range = PLAUSIBLE_DBM[technology as RadioTechnology];
      if (dbmShare !== undefined) reading.signalDbm = Math.round(range.min + dbmShare * (range.max - range.min));
      else reading.signalBars = signalBars;
    }
    return reading;
  });

const contributorOf = (r: GridReading & { contributor: string }) => r.contributor;
const json = (grid: CoverageGrid) => gridToJson(grid);

/** Readings, a permutation of them, and cut points splitting the permutation into chunks. */
const arbScenario = fc.array(arbReading, { minLength: 0, maxLength: 120 }).chain((readings) =>
  fc.record({
    readings: fc.constant(readings),
    shuffled: fc.shuffledSubarray(readings, { minLength: readings.length, maxLength: readings.length }),
    cuts: fc.uniqueArray(fc.integer({ min: 0, max: readings.length }), { maxLength: 6 }),
    mergeOrder: fc.array(fc.nat(), { maxLength: 7 }),
  }),
);

describe('incremental aggregation equals recomputation (property)', () => {
  it('in any order, one reading at a time', () => {
    fc.assert(
      fc.property(arbScenario, ({ readings, shuffled }) => {
        const full = aggregateReadings(readings, contributorOf);
        const incremental = createGrid();
        for (const reading of shuffled) addReading(incremental, reading, contributorOf(reading));
        expect(json(incremental)).toEqual(json(full));
      }),
      { numRuns: 200 },
    );
  });

  it('split into chunks aggregated apart, then merged in any order (through JSON text)', () => {
    fc.assert(
      fc.property(arbScenario, ({ readings, shuffled, cuts, mergeOrder }) => {
        const full = aggregateReadings(readings, contributorOf);
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), shuffled.length];
        const parts = bounds.slice(1).map((end, i) => aggregateReadings(shuffled.slice(bounds[i], end), contributorOf));
        // Stored and read back, as the server and the worker would.
        const stored = parts.map((part) => gridFromJson(JSON.parse(JSON.stringify(gridToJson(part)))));
        // Merge in a random order, sometimes pairwise into a fresh grid.
        const order = stored.map((_, i) => i).sort((a, b) => (mergeOrder[a] ?? 0) - (mergeOrder[b] ?? 0));
        const merged = order.reduce((acc, i) => mergeGrid(acc, stored[i]!), createGrid());
        expect(json(merged)).toEqual(json(full));
        // Merging did not touch the parts it read from.
        expect(stored.map(json)).toEqual(parts.map(json));
      }),
      { numRuns: 200 },
    );
  });

  it('coarsening the 200 m grid to 1 km equals aggregating at 1 km', () => {
    fc.assert(
      fc.property(fc.array(arbReading, { maxLength: 80 }), (readings) => {
        const fine = aggregateReadings(readings, contributorOf);
        expect(json(coarsenGrid(fine, 1000))).toEqual(json(aggregateReadings(readings, contributorOf, 1000)));
      }),
      { numRuns: 100 },
    );
  });

  it('medians from the histograms are exactly the medians of the raw values', () => {
    fc.assert(
      fc.property(fc.array(arbReading, { minLength: 1, maxLength: 80 }), (readings) => {
        const evidence = readings.filter((r) => r.source !== 'resident');
        const grid = aggregateReadings(readings, contributorOf);
        for (const cell of judgeGrid(grid, { settings: SETTINGS })) {
          for (const [operator, stats] of Object.entries(cell.operators)) {
            const raw = evidence.filter((r) => r.operator === operator && cellOf(r) === cell.cell);
            expect(stats.readings).toBe(raw.length);
            expect(stats.contributors).toEqual([...new Set(raw.map((r) => r.contributor))].sort());
            // Level: the best level reached by strictly more than half, i.e. best-first index ⌊n/2⌋.
            const levels = raw.map((r) => LEVELS.indexOf(readingLevel(r))).sort((a, b) => a - b);
            expect(medianLevel(stats)).toBe(LEVELS[levels[Math.floor(levels.length / 2)]!]);
            const dbm = raw.flatMap((r) => (r.signalDbm === undefined ? [] : [r.signalDbm])).sort((a, b) => a - b);
            const expected = dbm.length === 0 ? null : (dbm[Math.floor((dbm.length - 1) / 2)]! + dbm[Math.floor(dbm.length / 2)]!) / 2;
            expect(medianDbm(stats)).toBe(expected);
            const times = raw.map((r) => Date.parse(r.recordedAt));
            expect(stats.firstMs).toBe(Math.min(...times));
            expect(stats.lastMs).toBe(Math.max(...times));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('residents’ reports merge like readings', () => {
    fc.assert(
      fc.property(fc.array(arbReading, { maxLength: 40 }), fc.integer({ min: 0, max: 40 }), (readings, cut) => {
        const reports = readings.map((r, i) => ({ lon: r.lon, lat: r.lat, operator: r.operator, reportedAt: r.recordedAt, i }));
        const all = createGrid();
        for (const report of reports) addReport(all, report);
        const [a, b] = [createGrid(), createGrid()];
        for (const report of reports.slice(0, cut)) addReport(a, report);
        for (const report of reports.slice(cut)) addReport(b, report);
        expect(json(mergeGrid(b, a))).toEqual(json(all));
      }),
    );
  });
});

function cellOf(reading: GridReading): string {
  const [east, north] = toLaea(reading.lon, reading.lat);
  return `CRS3035RES200mN${Math.floor(north / 200) * 200}E${Math.floor(east / 200) * 200}`;
}

describe('outline of any set of cells (property)', () => {
  it('has the area of its cells, simple rings, exteriors counter-clockwise and holes clockwise', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), {
          minLength: 1,
          maxLength: 49,
          selector: ([x, y]) => `${x},${y}`,
        }),
        (points) => {
          const cells: CellRef[] = points.map(([x, y]) => ({ resolutionM: 200, east: E + x * 200, north: N + y * 200 }));
          const outline = cellsOutline(cells);
          const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
          let total = 0;
          for (const [exterior, ...holes] of polygons) {
            expect(ringArea(exterior!)).toBeGreaterThan(0);
            for (const hole of holes) expect(ringArea(hole)).toBeLessThan(0);
            for (const ring of [exterior!, ...holes]) {
              expect(ring[0]).toEqual(ring[ring.length - 1]);
              const corners = ring.slice(0, -1).map((p) => p.join(','));
              expect(new Set(corners).size).toBe(corners.length);
              total += ringArea(ring);
            }
          }
          expect(Math.abs(total - cells.length * 40_000)).toBeLessThan(cells.length * 40_000 * 2e-4);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Signed area in m², measured back in EPSG:3035. */
function ringArea(ring: [number, number][]): number {
  const points = ring.map(([lon, lat]) => toLaea(lon, lat));
  let twice = 0;
  for (let i = 0; i + 1 < points.length; i += 1) twice += points[i]![0] * points[i + 1]![1] - points[i + 1]![0] * points[i]![1];
  return twice / 2;
}
