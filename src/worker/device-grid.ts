import { CELL_ZONES, type CellZone } from '../domain/grid/cell-verdict.ts';
import { cellsFeatureCollection, type CellProperties, type PolygonFeatureCollection } from '../domain/grid/cell-geojson.ts';
import { addReading, createGrid } from '../domain/grid/grid-accumulator.ts';
import { judgeGrid } from '../domain/grid/judge-grid.ts';
import type { Reading } from '../domain/reading.ts';

export interface DeviceGrid {
  collection: PolygonFeatureCollection<CellProperties>;
  countsByZone: Record<CellZone, number>;
  /** Readings off the grid (outside EPSG:3035's area, e.g. overseas). */
  outsideGrid: number;
}

/** Readings recorded before accounts have no author: they count as this device's. */
const DEVICE_CONTRIBUTOR = 'cet-appareil';

/**
 * « Mes mailles »: the device's own readings on the 200 m grid, judged by the same domain code
 * as the server's grid (src/domain/grid), so that an agent sees offline what the reviewers
 * will see once the readings are sent. Contributors are the accounts that recorded them.
 */
export function buildDeviceGrid(records: { reading: Reading; recordedBy?: string }[]): DeviceGrid {
  const grid = createGrid();
  for (const { reading, recordedBy } of records) addReading(grid, reading, recordedBy ?? DEVICE_CONTRIBUTOR);
  const collection = cellsFeatureCollection(judgeGrid(grid));
  const countsByZone = Object.fromEntries(CELL_ZONES.map((zone) => [zone, 0])) as Record<CellZone, number>;
  for (const feature of collection.features) countsByZone[feature.properties.zone] += 1;
  return { collection, countsByZone, outsideGrid: grid.outsideGrid };
}
