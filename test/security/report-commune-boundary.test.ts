import { describe, expect, it } from 'vitest';
import { publicCell } from '../../src/domain/report-public.ts';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { TEST_CENTRES, useTempDir } from '../server/fixtures.ts';
import { feed, useWorlds } from './report-observer.ts';

/**
 * Issue 14, the public feed's commune: it was the commune the exact position was placed in, so
 * for a cell crossed by the line between two communes it told on which side of the line the
 * report lay, finer than the cell. Now the public commune is that of the cell's centre.
 */

const tempDir = useTempDir();
const world = useWorlds(tempDir);
const communes = createCommunes(TEST_CENTRES);

/** Two points of one public cell placed in different communes, between Saint-Guilhem-le-Désert and Aniane. */
function pointsAcrossALine(): [{ lat: number; lon: number }, { lat: number; lon: number }] {
  const from = { lat: 43.7339, lon: 3.5494 };
  const to = { lat: 43.6856, lon: 3.5869 };
  for (let t = 0; t <= 1; t += 0.001) {
    const { bounds } = publicCell(from.lat + (to.lat - from.lat) * t, from.lon + (to.lon - from.lon) * t);
    const points = Array.from({ length: 100 }, (_, i) => ({
      lat: bounds.minLat + ((Math.floor(i / 10) + 0.5) / 10) * (bounds.maxLat - bounds.minLat),
      lon: bounds.minLon + (((i % 10) + 0.5) / 10) * (bounds.maxLon - bounds.minLon),
    }));
    const first = communes.locate(points[0]!.lat, points[0]!.lon)?.commune;
    const other = points.find((p) => communes.locate(p.lat, p.lon)?.commune !== first);
    if (other) return [points[0]!, other];
  }
  throw new Error('no public cell crosses the line between the two communes');
}

describe('probing a report’s position with its public commune', () => {
  it('shows the same commune for two secrets of one cell placed in different communes', async () => {
    const [here, there] = pointsAcrossALine();
    expect(communes.locate(here.lat, here.lon)?.commune).not.toBe(communes.locate(there.lat, there.lon)?.commune);
    const seen = [];
    for (const secret of [here, there]) seen.push(await feed(await world(secret)));
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]![0]!.properties.commune).toMatch(/^(34261|34010)$/);
  });
});
