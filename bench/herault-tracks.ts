import { OPERATORS } from '../src/domain/operators.ts';
import type { Reading } from '../src/domain/reading.ts';
import type { ReadingPlacement } from '../src/server/storage/reading-store.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { CONTRIBUTORS, HERAULT, NOW } from './herault-readings.ts';

/** Metres between two readings of a track: a reading every 5 s at 36 km/h. */
const STEP_M = 50;
const METRES_PER_DEGREE_LAT = 111_320;

/**
 * `count` readings in batches of `batch`, the same for a given seed, each batch shaped like one
 * phone's upload: one agent on one operator, driving across the Hérault on one day, a reading
 * every {@link STEP_M} m (a 200 m cell gets about four of them), mostly 4G, now and then 3G or
 * indoors. bench/herault-readings.ts spreads every reading over the whole département instead
 * (the worst case for the grid: nearly one row per reading). Ids numbered as there, from
 * `firstId`, so that two stores fed the same seed hold the same readings.
 */
export function* heraultTracks(count: number, batch: number, seed: number, firstId = 0): Generator<{ readings: Reading[]; places: ReadingPlacement[] }> {
  const next = seededRandom(seed);
  const between = (min: number, max: number) => min + next() * (max - min);
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    const operator = OPERATORS[Math.floor(next() * OPERATORS.length)]!;
    const place: ReadingPlacement = { accountId: `agent-${Math.floor(next() * CONTRIBUTORS)}`, commune: null, departement: '34', outsideCommunes: false };
    let lat = between(HERAULT.minLat, HERAULT.maxLat);
    let lon = between(HERAULT.minLon, HERAULT.maxLon);
    let heading = between(0, 2 * Math.PI);
    let at = NOW - between(1, 180) * 86_400_000;
    const readings: Reading[] = [];
    for (let i = 0; i < size; i += 1) {
      heading += between(-0.3, 0.3);
      lat += (Math.cos(heading) * STEP_M) / METRES_PER_DEGREE_LAT;
      lon += (Math.sin(heading) * STEP_M) / (METRES_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180));
      // Back inside the département rather than off its edge.
      if (lat < HERAULT.minLat || lat > HERAULT.maxLat || lon < HERAULT.minLon || lon > HERAULT.maxLon) heading += Math.PI;
      at += 5_000;
      readings.push({
        id: `00000000-0000-4000-8000-${(firstId + done + i).toString(16).padStart(12, '0')}`,
        recordedAt: new Date(at).toISOString(),
        lat: Number(lat.toFixed(6)),
        lon: Number(lon.toFixed(6)),
        accuracyM: Math.round(between(3, 20)),
        operator,
        technology: next() < 0.9 ? '4G' : '3G',
        signalDbm: Math.round(between(-118, -75)),
        setting: next() < 0.95 ? 'outdoor' : 'indoor',
        voice: next() < 0.9 ? 'ok' : 'failed',
        source: 'agent',
      });
    }
    yield { readings, places: readings.map(() => place) };
  }
}
