import type { CellRef } from '../../domain/grid/cell-id.ts';
import type { Zone, ZoneDraft, ZoneHistoryEntry, ZoneStatus } from '../../domain/zone.ts';
import { BASE_RESOLUTION_M } from './grid-batch.ts';

/** What a zone's change may touch (its status moves through {@link ZoneStore.moveZone} only). */
export type ZoneChanges = Partial<ZoneDraft> & { communes?: string[]; updatedAt: string };

/** Candidate zones and their workflow history, shared by the reviewers of a département. */
export interface ZoneStore {
  /** Stores a new zone with its first history entry (`from: null`). */
  createZone(zone: Omit<Zone, 'history'>, first: ZoneHistoryEntry): Promise<void>;
  zoneById(id: string): Promise<Zone | undefined>;
  /** Oldest first; every département when `departement` is undefined. */
  listZones(departement?: string): Promise<Zone[]>;
  /** Answers the zone as changed, undefined when there is none with this id. */
  updateZone(id: string, changes: ZoneChanges): Promise<Zone | undefined>;
  /**
   * Moves the zone from `entry.from` to `entry.to` and appends `entry` to its history, only if
   * its status is still `entry.from` (another reviewer may have moved it meanwhile): false if not.
   */
  moveZone(id: string, entry: ZoneHistoryEntry & { from: ZoneStatus }): Promise<boolean>;
  /**
   * For each cell (any resolution, a multiple of 200 m), in the same order, the départements
   * its readings were filed under (sorted, none when no placed reading lies in it): the
   * evidence of which département a zone's cell belongs to.
   */
  departementsInCells(cells: readonly CellRef[]): Promise<string[][]>;
}

/** [n0, n1, e0, e1]: the range of the 200 m cells' corners (readings' cell_n, cell_e) inside a cell of any resolution. */
export function baseCellCorners(cell: CellRef): [number, number, number, number] {
  const last = Math.max(cell.resolutionM - BASE_RESOLUTION_M, 0);
  return [cell.north, cell.north + last, cell.east, cell.east + last];
}
