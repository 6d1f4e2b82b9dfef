import type { CampaignCell } from '../../domain/campaign.ts';
import { cellIdAt } from '../../domain/grid/cell-id.ts';
import { OPERATORS, type Operator } from '../../domain/operators.ts';
import type { Reading } from '../../domain/reading.ts';

/**
 * The 200 m cells of a campaign for its map: the server's cells merged with the cells of
 * the device's readings the server's figures do not hold yet, each judged by how many of
 * the campaign's operators have been measured there.
 */

/** All the campaign's operators measured on the cell, some of them, or only others. */
export type CellCompleteness = 'all' | 'some' | 'none';

export const COMPLETENESS_ORDER: readonly CellCompleteness[] = ['all', 'some', 'none'];

export interface CampaignCellTally {
  cellId: string;
  server: Partial<Record<Operator, number>>;
  device: Partial<Record<Operator, number>>;
  readings: number;
  /** The campaign's operators with at least one reading on the cell. */
  measured: Operator[];
  /** The campaign's operators nobody measured on the cell yet. */
  missing: Operator[];
  completeness: CellCompleteness;
  /** Every reading of the cell is still on (or only known from) this device. */
  deviceOnly: boolean;
}

/** Readings per 200 m cell and operator; readings outside the grid's area (overseas) are left out. */
export function groupReadingsByCell(readings: readonly Reading[]): Map<string, Partial<Record<Operator, number>>> {
  const cells = new Map<string, Partial<Record<Operator, number>>>();
  for (const reading of readings) {
    const cellId = cellIdAt(reading.lon, reading.lat);
    if (!cellId) continue;
    let counts = cells.get(cellId);
    if (!counts) cells.set(cellId, (counts = {}));
    counts[reading.operator] = (counts[reading.operator] ?? 0) + 1;
  }
  return cells;
}

export function campaignCells(
  serverCells: readonly CampaignCell[],
  deviceReadings: readonly Reading[],
  campaignOperators: readonly Operator[],
): CampaignCellTally[] {
  const server = new Map(serverCells.map((cell) => [cell.cellId, cell.byOperator]));
  const device = groupReadingsByCell(deviceReadings);
  const ids = new Set([...server.keys(), ...device.keys()]);
  const tallies: CampaignCellTally[] = [];
  for (const cellId of ids) {
    const onServer = server.get(cellId) ?? {};
    const onDevice = device.get(cellId) ?? {};
    const count = (operator: Operator) => (onServer[operator] ?? 0) + (onDevice[operator] ?? 0);
    const measured = campaignOperators.filter((operator) => count(operator) > 0);
    const missing = campaignOperators.filter((operator) => count(operator) === 0);
    const serverReadings = OPERATORS.reduce((sum, operator) => sum + (onServer[operator] ?? 0), 0);
    tallies.push({
      cellId,
      server: onServer,
      device: onDevice,
      readings: OPERATORS.reduce((sum, operator) => sum + count(operator), 0),
      measured,
      missing,
      completeness: missing.length === 0 && measured.length > 0 ? 'all' : measured.length > 0 ? 'some' : 'none',
      deviceOnly: serverReadings === 0,
    });
  }
  return tallies.sort((a, b) => a.cellId.localeCompare(b.cellId));
}

export function countByCompleteness(cells: readonly CampaignCellTally[]): Record<CellCompleteness, number> {
  const counts: Record<CellCompleteness, number> = { all: 0, some: 0, none: 0 };
  for (const cell of cells) counts[cell.completeness] += 1;
  return counts;
}
