import { describe, expect, it } from 'vitest';
import { addCells, cellResolution, cellsInRectangle, ringCentre, toggleCell } from '../../src/app/cells/selection.ts';
import { cellRing } from '../../src/domain/grid/cell-geometry.ts';
import { parseCellId } from '../../src/domain/grid/cell-id.ts';

const A = 'CRS3035RES200mN2297800E3826200';
const B = 'CRS3035RES200mN2297800E3826400';
const C = 'CRS3035RES200mN2298000E3826200';
const drawn = (id: string) => ({ id, ring: cellRing(parseCellId(id)!) });

describe('selecting cells', () => {
  it('toggles one cell without touching the set it was given', () => {
    const empty = new Set<string>();
    const one = toggleCell(empty, A);
    expect([...one]).toEqual([A]);
    expect(empty.size).toBe(0);
    expect([...toggleCell(one, A)]).toEqual([]);
  });

  it('adds many at once, once each', () => {
    expect([...addCells(new Set([A]), [A, B, B, C])].sort()).toEqual([A, B, C].sort());
  });

  it('takes from a rectangle the cells whose centre it holds, whichever corner the drag started from', () => {
    const cells = [A, B, C].map(drawn);
    const [lonA, latA] = ringCentre(cells[0]!.ring);
    const [lonB, latB] = ringCentre(cells[1]!.ring);
    // A box around A's and B's centres, not reaching C's (north of A).
    const box = { west: lonA - 0.0001, east: lonB + 0.0001, south: Math.min(latA, latB) - 0.0001, north: Math.max(latA, latB) + 0.0001 };
    expect(cellsInRectangle(cells, box)).toEqual([A, B]);
    expect(cellsInRectangle(cells, { west: box.east, east: box.west, south: box.north, north: box.south })).toEqual([A, B]);
    // A box that only grazes the cells' edges takes none.
    const ring = cells[0]!.ring;
    expect(cellsInRectangle(cells, { west: ring[0]![0]! - 0.01, east: ring[0]![0]! - 0.0001, south: latA - 0.01, north: latA + 0.01 })).toEqual([]);
  });

  it('finds a ring’s centre with or without the closing position', () => {
    expect(
      ringCentre([
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
        [0, 0],
      ]),
    ).toEqual([1, 1]);
    expect(
      ringCentre([
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
      ]),
    ).toEqual([1, 1]);
  });

  it('reads the grid of a cell id', () => {
    expect(cellResolution(A)).toBe(200);
    expect(cellResolution('CRS3035RES1000mN2297000E3826000')).toBe(1000);
    expect(cellResolution('nope')).toBeUndefined();
  });
});
