import { describe, expect, it } from 'vitest';
import { campaignCells, countByCompleteness, groupReadingsByCell } from '../../src/app/campaigns/campaign-cells.ts';
import { cellIdAt, parseCellId } from '../../src/domain/grid/cell-id.ts';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { makeReading } from './helpers.ts';

// The centre of the 200 m cell holding Saint-Guilhem-le-Désert's centre: points a few metres
// around it stay in that cell whatever the grid's alignment.
const CELL = cellIdAt(3.5494, 43.7339)!;
const [lon, lat] = cellCentre(parseCellId(CELL)!);
// 0.004° of latitude is about 445 m: two cells further north.
const NORTH = cellIdAt(lon, lat + 0.004)!;

describe('campaign cells: grouping readings on the 200 m grid', () => {
  it('puts readings a few metres apart in one cell, counted per operator', () => {
    const cells = groupReadingsByCell([
      makeReading({ lon, lat, operator: 'orange' }),
      makeReading({ lon: lon + 0.0002, lat: lat - 0.0002, operator: 'orange' }),
      makeReading({ lon: lon - 0.0002, lat: lat + 0.0002, operator: 'sfr' }),
    ]);
    expect([...cells.keys()]).toEqual([CELL]);
    expect(cells.get(CELL)).toEqual({ orange: 2, sfr: 1 });
  });

  it('keeps readings 445 m apart in different cells', () => {
    expect(NORTH).not.toBe(CELL);
    const cells = groupReadingsByCell([makeReading({ lon, lat }), makeReading({ lon, lat: lat + 0.004 })]);
    expect(new Set(cells.keys())).toEqual(new Set([CELL, NORTH]));
  });

  it('leaves out readings outside the grid’s area (overseas départements)', () => {
    // Saint-Denis, La Réunion.
    expect(groupReadingsByCell([makeReading({ lon: 55.45, lat: -20.88 })]).size).toBe(0);
  });
});

describe('campaign cells: server and device merged, judged by the operators measured', () => {
  it('a cell with all the campaign’s operators between server and device is complete', () => {
    const cells = campaignCells([{ cellId: CELL, readings: 2, byOperator: { orange: 2 } }], [makeReading({ lon, lat, operator: 'free' })], ['orange', 'free']);
    expect(cells).toEqual([
      {
        cellId: CELL,
        server: { orange: 2 },
        device: { free: 1 },
        readings: 3,
        measured: ['orange', 'free'],
        missing: [],
        completeness: 'all',
        deviceOnly: false,
      },
    ]);
  });

  it('names the operators still missing on a cell measured in part', () => {
    const [cell] = campaignCells([{ cellId: CELL, readings: 1, byOperator: { sfr: 1 } }], [], ['orange', 'sfr', 'bouygues', 'free']);
    expect(cell?.completeness).toBe('some');
    expect(cell?.missing).toEqual(['orange', 'bouygues', 'free']);
  });

  it('includes cells known only from the device, marked as such', () => {
    const cells = campaignCells(
      [{ cellId: CELL, readings: 1, byOperator: { orange: 1 } }],
      [makeReading({ lon, lat: lat + 0.004, operator: 'orange' })],
      ['orange'],
    );
    const byId = new Map(cells.map((cell) => [cell.cellId, cell]));
    expect(byId.get(NORTH)?.deviceOnly).toBe(true);
    expect(byId.get(NORTH)?.completeness).toBe('all');
    expect(byId.get(CELL)?.deviceOnly).toBe(false);
  });

  it('a cell measured only for operators outside the campaign counts for none of it', () => {
    const cells = campaignCells([], [makeReading({ lon, lat, operator: 'sfr' })], ['orange']);
    expect(cells[0]?.completeness).toBe('none');
    expect(countByCompleteness(cells)).toEqual({ all: 0, some: 0, none: 1 });
  });
});
