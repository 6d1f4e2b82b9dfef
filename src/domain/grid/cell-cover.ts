import type { CellRef } from './cell-id.ts';

/**
 * Which of some owned cells (a zone's, say) overlap a given cell, whatever the resolutions of
 * either: a 200 m cell lies in one 1 km cell, a 5 km cell straddles several 2 km ones. Cells
 * are squares [north, north + resolution) × [east, east + resolution) in EPSG:3035 metres.
 */
export interface CellCover<T> {
  /** The owner of the first owned cell found overlapping `cell` (same resolution first), or undefined. */
  find(cell: CellRef): T | undefined;
}

interface Owned<T> {
  ref: CellRef;
  owner: T;
}

const key = (north: number, east: number) => `${north}:${east}`;

export function cellCover<T>(entries: Iterable<readonly [CellRef, T]>): CellCover<T> {
  const byResolution = new Map<number, Map<string, Owned<T>>>();
  for (const [ref, owner] of entries) {
    let cells = byResolution.get(ref.resolutionM);
    if (!cells) byResolution.set(ref.resolutionM, (cells = new Map()));
    const at = key(ref.north, ref.east);
    if (!cells.has(at)) cells.set(at, { ref, owner });
  }
  // The cell's own resolution first: the common case, one lookup.
  const resolutions = (cell: CellRef) => [...byResolution.keys()].sort((a, b) => Number(b === cell.resolutionM) - Number(a === cell.resolutionM));

  return {
    find(cell) {
      for (const resolution of resolutions(cell)) {
        const cells = byResolution.get(resolution)!;
        // The owned cells of this resolution that may overlap `cell`: corners from lo to hi.
        const first = (from: number) => Math.floor(from / resolution) * resolution;
        const north = [first(cell.north), first(cell.north + cell.resolutionM - 1)] as const;
        const east = [first(cell.east), first(cell.east + cell.resolutionM - 1)] as const;
        const candidates = ((north[1] - north[0]) / resolution + 1) * ((east[1] - east[0]) / resolution + 1);
        if (candidates <= cells.size) {
          for (let n = north[0]; n <= north[1]; n += resolution) {
            for (let e = east[0]; e <= east[1]; e += resolution) {
              const found = cells.get(key(n, e));
              if (found) return found.owner;
            }
          }
        } else {
          for (const { ref, owner } of cells.values()) if (overlap(ref, cell)) return owner;
        }
      }
      return undefined;
    },
  };
}

function overlap(a: CellRef, b: CellRef): boolean {
  return a.north < b.north + b.resolutionM && b.north < a.north + a.resolutionM && a.east < b.east + b.resolutionM && b.east < a.east + a.resolutionM;
}
