import { describe, expect, it } from 'vitest';
import { readingsNear, type DrawnReading } from '../../src/app/map/stacked-readings.ts';
import type { ReadingProperties } from '../../src/domain/geojson.ts';

describe('readings stacked at one spot on the map', () => {
  const drawn = (id: string, x: number, onDevice: boolean, recordedAt = '2026-12-04T10:00:00+01:00'): DrawnReading & { x: number } => ({
    x,
    onDevice,
    properties: { id, recordedAt } as ReadingProperties,
  });

  it('gathers every reading within a finger’s reach, nearest first, each once, the device’s copy first', () => {
    const readings = [drawn('a', 100, true), drawn('b', 104, true), drawn('a', 100, false), drawn('c', 140, false), drawn('d', 97, false)];
    const near = readingsNear(readings, { x: 100, y: 50 }, (reading) => ({ x: reading.x, y: 50 }));
    expect(near.map((reading) => [reading.properties.id, reading.onDevice])).toEqual([
      ['a', true],
      ['d', false],
      ['b', true],
    ]);
  });
});
