import { OPERATORS } from '../src/domain/operators.ts';
import type { Reading } from '../src/domain/reading.ts';
import type { ReadingPlacement } from '../src/server/storage/reading-store.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

/** Where and when the generated readings lie: the Hérault, the six months before NOW. */
export const NOW = Date.parse('2026-05-04T12:00:00Z');
export const HERAULT = { minLon: 2.54, minLat: 43.21, maxLon: 4.19, maxLat: 43.97 };
/** Montpellier's commune, about 11 km × 9 km. */
export const COMMUNE = { minLon: 3.8, minLat: 43.56, maxLon: 3.94, maxLat: 43.65 };
export const CONTRIBUTORS = 60;

/**
 * `count` readings in batches of `batch`, the same for a given seed: a tenth along a "road"
 * (denser cells), the rest spread over the département; ids numbered so that two stores
 * fed the same seed hold the same readings.
 */
export function* heraultBatches(count: number, batch: number, seed: number): Generator<{ readings: Reading[]; places: ReadingPlacement[] }> {
  const next = seededRandom(seed);
  const between = (min: number, max: number) => min + next() * (max - min);
  for (let done = 0; done < count; done += batch) {
    const readings: Reading[] = [];
    const places: ReadingPlacement[] = [];
    for (let i = 0; i < Math.min(batch, count - done); i += 1) {
      const n = done + i;
      const onRoad = next() < 0.1;
      const lat = onRoad ? 43.6 + between(-0.002, 0.002) : between(HERAULT.minLat, HERAULT.maxLat);
      readings.push({
        id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
        recordedAt: new Date(NOW - between(0, 180 * 86_400_000)).toISOString(),
        lat: Number(lat.toFixed(6)),
        lon: Number(between(HERAULT.minLon, HERAULT.maxLon).toFixed(6)),
        accuracyM: Math.round(between(3, 60)),
        operator: OPERATORS[Math.floor(next() * OPERATORS.length)]!,
        technology: next() < 0.85 ? '4G' : '3G',
        signalDbm: Math.round(between(-118, -75)),
        setting: next() < 0.8 ? 'outdoor' : 'indoor',
        voice: next() < 0.9 ? 'ok' : 'failed',
        source: 'agent',
      });
      places.push({ accountId: `agent-${Math.floor(next() * CONTRIBUTORS)}`, commune: null, departement: '34', outsideCommunes: false });
    }
    yield { readings, places };
  }
}
