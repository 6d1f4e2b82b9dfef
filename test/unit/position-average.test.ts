import { describe, expect, it } from 'vitest';
import { distanceM, metresToDegreesLat, metresToDegreesLon } from '../../src/domain/geo.ts';
import { averagePosition, type PositionFix } from '../../src/domain/position-average.ts';
import { createReadingSchema, validateReading } from '../../src/domain/reading-schema.ts';
import { fixedNow, makeReading } from './helpers.ts';

const BASE = { lat: 43.7339, lon: 3.5494 };

/** A fix `north` and `east` metres from BASE. */
const at = (north: number, east: number, accuracyM: number): PositionFix => ({
  lat: BASE.lat + metresToDegreesLat(north),
  lon: BASE.lon + metresToDegreesLon(east, BASE.lat),
  accuracyM,
});

const close = [at(0, 0, 10), at(2, 1, 10), at(-1, 2, 10), at(1, -2, 10), at(-2, -1, 10)];

describe('the position of a static test, averaged over its fixes', () => {
  it.each<[string, PositionFix[], number, { north: number; east: number; accuracyM: number; kept: number }]>([
    ['one fix: itself', [at(0, 0, 12)], 50, { north: 0, east: 0, accuracyM: 12, kept: 1 }],
    ['a fix less precise than required is dropped', [at(0, 0, 10), at(300, 0, 80)], 50, { north: 0, east: 0, accuracyM: 10, kept: 1 }],
    ['an outlier (60 m off five fixes within 3 m) is dropped', [...close, at(60, 0, 10)], 50, { north: 0, east: 0, accuracyM: 10, kept: 5 }],
    ['weights 1/accuracy²: ± 5 m counts four times ± 10 m', [at(0, 0, 5), at(10, 0, 10)], 50, { north: 2, east: 0, accuracyM: 5, kept: 2 }],
    ['never better than the best kept fix', [at(0, 0, 8), at(0, 1, 8), at(1, 0, 8), at(1, 1, 8)], 50, { north: 0.5, east: 0.5, accuracyM: 8, kept: 4 }],
    ['the spread when wider than the fixes claim', [at(-20, 0, 5), at(20, 0, 5)], 50, { north: 0, east: 0, accuracyM: 20, kept: 2 }],
    ['outside a campaign (50 m) a 60 m fix does not count', [at(0, 0, 60), at(5, 0, 20)], 50, { north: 5, east: 0, accuracyM: 20, kept: 1 }],
  ])('%s', (_, fixes, maxAccuracyM, expected) => {
    const average = averagePosition(fixes, maxAccuracyM);
    if (!average) throw new Error('no average');
    const target = at(expected.north, expected.east, 0);
    expect(distanceM(average, target)).toBeLessThan(0.05);
    expect(average.accuracyM).toBeCloseTo(expected.accuracyM, 1);
    expect(average.fixes).toBe(expected.kept);
  });

  it('says nothing when no fix is precise enough', () => {
    expect(averagePosition([at(0, 0, 80), at(3, 0, 120)], 50)).toBeUndefined();
    expect(averagePosition([], 50)).toBeUndefined();
  });
});

describe('a reading says how many fixes its position averages', () => {
  const schema = createReadingSchema({ now: fixedNow });
  const validate = (positionFixes: unknown) => validateReading({ ...makeReading(), positionFixes }, schema);

  it('keeps the count', () => {
    const result = validate(7);
    expect(result.ok && result.reading.positionFixes).toBe(7);
  });

  it.each([[2.5], [0], ['7']])('refuses %j in French', (count) => {
    const result = validate(count);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ field: 'positionFixes', message: expect.stringMatching(/^Le nombre de positions moyennées/) });
  });
});
