import { afterEach, describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { wholeRange } from '../../src/domain/grid/cell-range.ts';
import { MAX_NORTH_LINES, northLines } from '../../src/server/storage/grid-lines.ts';
import type { GridQuery, StoredResolution } from '../../src/server/storage/grid-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { makeReading, useTempDir } from './fixtures.ts';
import { EVERY_MONTH, pointIn } from './grid-helpers.ts';

const tempDir = useTempDir();
const testStores: TestStore[] = [];
afterEach(async () => {
  for (const testStore of testStores.splice(0)) await testStore.dispose();
});

describe('northLines (a box read line by line)', () => {
  it('lists one north per line of cells, bounds included', () => {
    expect(northLines({ resolutionM: 200, north: [2_297_000, 2_297_800] })).toEqual([2_297_000, 2_297_200, 2_297_400, 2_297_600, 2_297_800]);
    expect(northLines({ resolutionM: 1000, north: [2_297_000, 2_297_000] })).toEqual([2_297_000]);
  });

  it('starts at the first line inside a bound that is not one', () => {
    expect(northLines({ resolutionM: 200, north: [2_297_050, 2_297_450] })).toEqual([2_297_200, 2_297_400]);
    expect(northLines({ resolutionM: 200, north: [2_297_050, 2_297_150] })).toEqual([]);
  });

  it('gives up beyond MAX_NORTH_LINES lines: such a range is read as one stretch', () => {
    expect(northLines({ resolutionM: 200, north: [0, (MAX_NORTH_LINES - 1) * 200] })).toHaveLength(MAX_NORTH_LINES);
    expect(northLines({ resolutionM: 200, north: [0, MAX_NORTH_LINES * 200] })).toBeUndefined();
    expect(northLines(wholeRange(1000))).toBeUndefined();
  });
});

describe('a box of the grid read line by line', () => {
  // A 5 × 7 block of 200 m cells with one reading each (and one resident's report in some):
  // the box below keeps its 3 middle lines and 3 middle columns.
  const origin = cellAt(3.549, 43.73, 200)!;
  const cells = Array.from({ length: 5 }, (_, row) => Array.from({ length: 7 }, (_, column) => ({ row, column }))).flat();
  const inBox = ({ row, column }: { row: number; column: number }) => row >= 1 && row <= 3 && column >= 2 && column <= 4;

  async function seeded(): Promise<Store> {
    const testStore = await openTestStore(tempDir());
    testStores.push(testStore);
    const { store } = testStore;
    const readings = cells.map(({ row, column }, i) =>
      makeReading({
        ...pointIn({ ...origin, north: origin.north + row * 200, east: origin.east + column * 200 }, 0.5, 0.5),
        operator: (['orange', 'sfr', 'bouygues', 'free'] as const)[i % 4],
      }),
    );
    const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
    const result = await store.ingest(
      readings,
      readings.map(() => place),
    );
    expect(result.accepted).toHaveLength(readings.length);
    return store;
  }

  const key = (row: { cell: string; operator: string }) => `${row.cell} ${row.operator}`;

  it.each([
    ['200 m month rows', 200, EVERY_MONTH],
    ['1 km all-periods rows', 1000, {}],
  ] as const)('returns exactly the rows of the box: %s', async (_name, resolutionM: StoredResolution, months) => {
    const store = await seeded();
    const scope = { kind: 'departements' as const, departements: ['34'] };
    const whole = wholeRange(resolutionM);
    const everything = await store.gridGroups({ resolutionM, north: whole.north, east: whole.east, scope, ...months });
    expect(everything.length).toBeGreaterThan(0);
    const step = resolutionM === 200 ? 200 : 1000;
    const base = resolutionM === 200 ? origin : cellAt(3.549, 43.73, 1000)!;
    // At 1 km the box is one line and one column; at 200 m, its bounds are set off the lines.
    const box: GridQuery =
      resolutionM === 200
        ? { resolutionM, north: [base.north + step - 50, base.north + 3 * step + 50], east: [base.east + 2 * step, base.east + 4 * step], scope, ...months }
        : { resolutionM, north: [base.north, base.north], east: [base.east, base.east], scope, ...months };
    expect(northLines(box)).toBeDefined();
    const read = await store.gridGroups(box);
    const expected = everything.filter((row) => {
      const [, n, e] = /N(\d+)E(\d+)$/.exec(row.cell)!.map(Number) as [number, number, number];
      return n >= box.north[0] && n <= box.north[1] && e >= box.east[0] && e <= box.east[1];
    });
    expect(read.map(key).sort()).toEqual(expected.map(key).sort());
    if (resolutionM === 200) expect(new Set(read.map((row) => row.cell)).size).toBe(cells.filter(inBox).length);
  });
});

describe('declared coverage and population of a box read line by line', () => {
  // A 5 × 7 block of 200 m cells; the box keeps lines 1 to 3 and columns 2 to 4, its bounds set off the lines.
  const origin = cellAt(3.549, 43.73, 200)!;
  const block = Array.from({ length: 5 }, (_, row) =>
    Array.from({ length: 7 }, (_, column) => ({ north: origin.north + row * 200, east: origin.east + column * 200 })),
  ).flat();
  const box = {
    north: [origin.north + 150, origin.north + 3 * 200 + 50] as [number, number],
    east: [origin.east + 2 * 200, origin.east + 4 * 200] as [number, number],
  };
  const inBox = ({ north, east }: { north: number; east: number }) =>
    north >= box.north[0] && north <= box.north[1] && east >= box.east[0] && east <= box.east[1];
  const corner = ({ north, east }: { north: number; east: number }) => `${north}/${east}`;

  async function store(): Promise<Store> {
    const testStore = await openTestStore(tempDir());
    testStores.push(testStore);
    return testStore.store;
  }

  it('gives exactly the declared cells of the box', async () => {
    const s = await store();
    const edition = {
      departement: '34',
      operator: 'orange' as const,
      technology: '4G' as const,
      source: 'test.csv',
      editionDate: '2026-01-01',
      importedAt: '2026-01-02T00:00:00.000Z',
      polygons: 1,
      cells: { TBC: 0, BC: block.length, CL: 0, none: 0 },
    };
    await s.replaceDeclaredCoverage(
      edition,
      block.map((cell) => ({ resolutionM: 200, ...cell, level: 'BC' })),
    );
    expect(northLines({ resolutionM: 200, north: box.north })).toHaveLength(3);
    const read = await s.declaredCells({ resolutionM: 200, ...box });
    expect(read.map(corner).sort()).toEqual(block.filter(inBox).map(corner).sort());
  });

  it('gives exactly the population of the box', async () => {
    const s = await store();
    await s.importPopulation(block.map((cell, i) => ({ ...cell, inhabitants: i, households: i, dwellings: null, edition: '2019' })));
    const read = await s.populationIn(box);
    expect(read.map(corner).sort()).toEqual(block.filter(inBox).map(corner).sort());
  });
});
