import { cellCover } from '../../domain/grid/cell-cover.ts';
import { parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import type { Zone, ZoneDraft, ZoneHistoryEntry, ZoneStatus } from '../../domain/zone.ts';
import { NO_FOLLOW_UP, type ZoneFollowUp, type ZoneFollowUpFields } from '../../domain/zone-follow-up.ts';
import { BASE_RESOLUTION_M } from './grid-batch.ts';

/** What a zone's change may touch (its status moves through {@link ZoneStore.moveZone} only). */
export type ZoneChanges = Partial<ZoneDraft> & { communes?: string[]; followUp?: ZoneFollowUpFields; updatedAt: string };

/** A zone to store: its follow-up, when absent, is none yet (a zone is created before any arrêté). */
export type NewZone = Omit<Zone, 'history' | 'followUp'> & { followUp?: ZoneFollowUp | ZoneFollowUpFields };

/** The follow-up as stored: its deadline is computed on every read, never kept. */
export function storedFollowUp(followUp: NewZone['followUp']): ZoneFollowUpFields {
  if (!followUp) return NO_FOLLOW_UP;
  const { deadline: _, ...fields } = followUp as ZoneFollowUp;
  return fields;
}

/** An open zone (OPEN_ZONE_STATUSES) already holding some of the cells being filed. */
export interface ZoneOverlap {
  zone: Pick<Zone, 'id' | 'name' | 'status'>;
  /** The cells being filed that overlap the zone's, in their order. */
  cells: string[];
}

/**
 * Thrown by createZone and updateZone when the cells overlap an open zone of the same
 * département: nothing was written. The check and the write are one transaction, so two
 * reviewers filing the same cells at once (in one process or several) cannot both succeed.
 */
export class ZoneOverlapError extends Error {
  constructor(readonly overlap: ZoneOverlap) {
    super(`cells already in zone ${overlap.zone.id}`);
  }
}

/** Candidate zones and their workflow history, shared by the reviewers of a département. */
export interface ZoneStore {
  /**
   * Stores a new zone with its first history entry (`from: null`). Rejects with
   * ZoneOverlapError when an open zone of its département holds one of its cells.
   */
  createZone(zone: NewZone, first: ZoneHistoryEntry): Promise<void>;
  zoneById(id: string): Promise<Zone | undefined>;
  /** Oldest first; every département when `departement` is undefined. */
  listZones(departement?: string): Promise<Zone[]>;
  /**
   * Answers the zone as changed, undefined when there is none with this id. New `cells` that
   * another open zone of its département holds: rejects with ZoneOverlapError, nothing changed.
   */
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

/**
 * The first of `others` (open zones of the same département, as stored: cells as ids) that
 * holds any of `cells`, with the cells it holds; undefined when none does.
 */
export function findZoneOverlap(cells: readonly string[], others: readonly Pick<Zone, 'id' | 'name' | 'status' | 'cells'>[]): ZoneOverlap | undefined {
  if (others.length === 0) return undefined;
  const cover = cellCover(
    others.flatMap((zone) =>
      zone.cells.flatMap((id) => {
        const ref = parseCellId(id);
        return ref ? [[ref, zone] as const] : [];
      }),
    ),
  );
  let first: ZoneOverlap | undefined;
  for (const id of cells) {
    const ref = parseCellId(id);
    const owner = ref && cover.find(ref);
    if (!owner) continue;
    first ??= { zone: { id: owner.id, name: owner.name, status: owner.status }, cells: [] };
    if (owner.id === first.zone.id) first.cells.push(id);
  }
  return first;
}
