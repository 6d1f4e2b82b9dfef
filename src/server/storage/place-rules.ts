import { coarserCell, type CellRef } from '../../domain/grid/cell-id.ts';
import { baseCellOf, COARSE_RESOLUTION_M } from './grid-batch.ts';
import type { NewPlace, StoredPlace } from './place-store.ts';

/** Rows placed again per transaction. */
export const PLACE_AGAIN_BATCH = 1000;

/** Shared by both stores' placeAgain: whether anything of a row's place changed. */
export function placeChanged(before: StoredPlace, after: NewPlace): boolean {
  return (
    before.commune !== after.commune ||
    before.departement !== after.departement ||
    before.placement !== after.placement ||
    before.outsideCommunes !== after.outsideCommunes
  );
}

/** Adds the 1 km cell of a point to `touched` (grid rows are per département: those cells are rebuilt). */
export function touchCell(touched: Map<string, CellRef>, lon: number, lat: number): void {
  const cell = baseCellOf(lon, lat);
  if (!cell) return;
  const coarse = coarserCell(cell, COARSE_RESOLUTION_M);
  touched.set(`${coarse.north}/${coarse.east}`, coarse);
}
