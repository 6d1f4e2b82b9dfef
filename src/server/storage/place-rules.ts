import { coarserCell, type CellRef } from '../../domain/grid/cell-id.ts';
import { baseCellOf, COARSE_RESOLUTION_M } from './grid-batch.ts';
import type { PlaceMethod } from '../communes/communes.ts';
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

/** A row of `readings` or `reports` as placeAgain reads it (reports have no account and are never outside). */
export interface PlaceRow {
  seq: number;
  lat: number;
  lon: number;
  commune: string | null;
  departement: string | null;
  placement: PlaceMethod | null;
  account_id: string | null;
  outside_communes: boolean;
}

export const storedPlace = (row: PlaceRow): StoredPlace => ({
  lat: row.lat,
  lon: row.lon,
  commune: row.commune,
  departement: row.departement,
  placement: row.placement,
  accountId: row.account_id,
  outsideCommunes: row.outside_communes,
});

/**
 * Both stores' placeAgain: readings then reports, one batch (a transaction) after the other
 * until a batch reads fewer than PLACE_AGAIN_BATCH rows. `placeBatch` answers [rows read, rows
 * changed]; this answers the rows changed per table.
 */
export async function placeAllAgain(
  placeBatch: (table: 'readings' | 'reports') => [number, number] | Promise<[number, number]>,
): Promise<{ readings: number; reports: number }> {
  const counts = { readings: 0, reports: 0 };
  for (const table of ['readings', 'reports'] as const) {
    for (;;) {
      const [read, changed] = await placeBatch(table);
      counts[table] += changed;
      if (read < PLACE_AGAIN_BATCH) break;
    }
  }
  return counts;
}
