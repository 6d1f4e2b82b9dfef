import { describe, expect, it } from 'vitest';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { buildDeviceGrid } from '../../src/worker/device-grid.ts';
import { makeReading } from './helpers.ts';

const AT = { lat: 43.7339, lon: 3.5494 };

describe('« Mes mailles »: the device’s readings on the grid, in the worker', () => {
  it('judges a cell the four operators were measured in, like the server', () => {
    // Four readings per operator: three alike are across 50 % at 95 % (interval rule, issue 17).
    const readings = OPERATORS.flatMap((operator) => [1, 2, 3, 4].map(() => makeReading({ ...AT, operator, signalBars: operator === 'orange' ? 4 : 1 })));
    const grid = buildDeviceGrid(readings.map((reading) => ({ reading, recordedBy: 'agent-1' })));
    expect(grid.collection.features).toHaveLength(1);
    const [cell] = grid.collection.features;
    expect(cell!.properties.cell).toBe(cellIdAt(AT.lon, AT.lat));
    expect(cell!.properties.zone).toBe('zone-grise');
    expect(cell!.properties.contributors).toBe(1);
    expect(grid.countsByZone).toEqual({ 'zone-blanche': 0, 'zone-grise': 1, covered: 0, insufficient: 0 });
    expect(cell!.geometry.coordinates[0]).toHaveLength(5);
  });

  it('leaves a cell with too few readings undecided, and counts readings off the grid', () => {
    const grid = buildDeviceGrid([
      { reading: makeReading({ ...AT, operator: 'sfr', signalBars: 0 }) },
      { reading: makeReading({ lat: -21.1, lon: 55.5 }) }, // La Réunion: outside EPSG:3035
    ]);
    expect(grid.countsByZone.insufficient).toBe(1);
    expect(grid.outsideGrid).toBe(1);
  });

  it('has nothing to show without readings', () => {
    expect(buildDeviceGrid([]).collection.features).toEqual([]);
  });
});
