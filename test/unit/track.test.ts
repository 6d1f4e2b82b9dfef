import { describe, expect, it } from 'vitest';
import type { TrackSettings } from '../../src/domain/field-settings.ts';
import { MAX_ACCURACY_M } from '../../src/domain/reading.ts';
import { distanceM } from '../../src/domain/geo.ts';
import {
  addPoint,
  EMPTY_TOTALS,
  nextPointDue,
  trackDurationMs,
  trackStats,
  type RecordReason,
  type SkipReason,
  type TrackFix,
  type TrackPoint,
} from '../../src/domain/track.ts';

const SETTINGS: TrackSettings = { spacingM: 100, intervalS: 30 };
const START = Date.parse('2026-05-04T08:00:00Z');
/** Saint-Guilhem-le-Désert. */
const ORIGIN = { lat: 43.7339, lon: 3.5494 };
const M_PER_DEG_LAT = 111_195;

/** The place `north` and `east` metres from ORIGIN (flat-earth offset: exact enough over a few km). */
function offset(north: number, east: number): { lat: number; lon: number } {
  return {
    lat: ORIGIN.lat + north / M_PER_DEG_LAT,
    lon: ORIGIN.lon + east / (M_PER_DEG_LAT * Math.cos((ORIGIN.lat * Math.PI) / 180)),
  };
}

/** A fix seen by the page `ageMs` after the device took it. */
interface Seen {
  fix: TrackFix;
  now: number;
}

function seen(north: number, east: number, takenAt: number, accuracyM = 8, ageMs = 200): Seen {
  return { fix: { ...offset(north, east), accuracyM, takenAt }, now: takenAt + ageMs };
}

interface Recorded extends TrackPoint {
  reason: RecordReason;
  /** Position of its fix in the stream. */
  index: number;
}

/** Runs the rule over a stream of fixes as the page would: each recorded point becomes `last`. */
function simulate(stream: Seen[], settings = SETTINGS): { points: Recorded[]; skips: SkipReason[] } {
  const points: Recorded[] = [];
  const skips: SkipReason[] = [];
  for (const [index, { fix, now }] of stream.entries()) {
    const decision = nextPointDue(points[points.length - 1], fix, now, settings);
    if (decision.record) points.push({ lat: fix.lat, lon: fix.lon, at: now, reason: decision.reason, index });
    else skips.push(decision.reason);
  }
  return { points, skips };
}

/** One fix per second for `seconds`, moving north at `speedMps`. */
function straightLine(seconds: number, speedMps: number, accuracyM = 8): Seen[] {
  return Array.from({ length: seconds + 1 }, (_, s) => seen(s * speedMps, 0, START + s * 1000, accuracyM));
}

const gaps = (points: TrackPoint[]) => points.slice(1).map((point, i) => distanceM(points[i]!, point));
const intervals = (points: TrackPoint[]) => points.slice(1).map((point, i) => point.at - points[i]!.at);

describe('distanceM', () => {
  it('measures one degree of latitude as about 111.2 km', () => {
    expect(distanceM({ lat: 43, lon: 3 }, { lat: 44, lon: 3 })).toBeCloseTo(111_195, -1);
  });

  it('measures Saint-Guilhem-le-Désert to Montpellier as about 29.7 km, both ways', () => {
    const montpellier = { lat: 43.6108, lon: 3.8767 };
    const there = distanceM(ORIGIN, montpellier);
    expect(there).toBeGreaterThan(29_400);
    expect(there).toBeLessThan(29_900);
    expect(distanceM(montpellier, ORIGIN)).toBeCloseTo(there, 6);
  });

  it('is zero for one place and shrinks longitudes towards the poles', () => {
    expect(distanceM(ORIGIN, ORIGIN)).toBe(0);
    const atEquator = distanceM({ lat: 0, lon: 0 }, { lat: 0, lon: 1 });
    const atSixty = distanceM({ lat: 60, lon: 0 }, { lat: 60, lon: 1 });
    expect(atSixty / atEquator).toBeCloseTo(0.5, 3);
  });

  it('agrees with the flat offsets the tests walk along', () => {
    expect(distanceM(ORIGIN, offset(150, 0))).toBeCloseTo(150, 0);
    expect(distanceM(ORIGIN, offset(0, 150))).toBeCloseTo(150, 0);
  });
});

describe('nextPointDue: the rule for each fix', () => {
  const last: TrackPoint = { ...ORIGIN, at: START };
  const cases: { name: string; last?: TrackPoint; fix: TrackFix; now: number; expected: ReturnType<typeof nextPointDue> }[] = [
    {
      name: 'first fix of a track',
      last: undefined,
      fix: { ...ORIGIN, accuracyM: 20, takenAt: START },
      now: START,
      expected: { record: true, reason: 'first' },
    },
    {
      name: 'moved exactly the spacing',
      fix: { ...offset(100.5, 0), accuracyM: 10, takenAt: START + 5_000 },
      now: START + 5_000,
      expected: { record: true, reason: 'moved' },
    },
    {
      name: 'moved less than the spacing, soon',
      fix: { ...offset(60, 0), accuracyM: 10, takenAt: START + 5_000 },
      now: START + 5_000,
      expected: { record: false, reason: 'too-soon' },
    },
    {
      name: 'moved a little, interval reached',
      fix: { ...offset(20, 0), accuracyM: 10, takenAt: START + 30_000 },
      now: START + 30_000,
      expected: { record: true, reason: 'interval' },
    },
    {
      name: 'interval reached by the clock, fix slightly older',
      fix: { ...ORIGIN, accuracyM: 10, takenAt: START + 25_000 },
      now: START + 31_000,
      expected: { record: true, reason: 'interval' },
    },
    {
      name: 'jump within its own accuracy: jitter',
      fix: { ...offset(250, 0), accuracyM: 300, takenAt: START + 5_000 },
      now: START + 5_000,
      expected: { record: false, reason: 'too-soon' },
    },
    {
      name: 'jump beyond its accuracy: movement',
      fix: { ...offset(250, 0), accuracyM: 200, takenAt: START + 5_000 },
      now: START + 5_000,
      expected: { record: true, reason: 'moved' },
    },
    {
      name: 'accuracy worse than the evidence bound',
      fix: { ...offset(2000, 0), accuracyM: MAX_ACCURACY_M + 1, takenAt: START + 60_000 },
      now: START + 60_000,
      expected: { record: false, reason: 'inaccurate' },
    },
    {
      name: 'accuracy worse than the bound, even for the first point',
      last: undefined,
      fix: { ...ORIGIN, accuracyM: 5000, takenAt: START },
      now: START,
      expected: { record: false, reason: 'inaccurate' },
    },
    {
      name: 'accuracy unknown (NaN)',
      fix: { ...ORIGIN, accuracyM: Number.NaN, takenAt: START + 60_000 },
      now: START + 60_000,
      expected: { record: false, reason: 'inaccurate' },
    },
    {
      name: 'fix taken before the last point',
      fix: { ...offset(500, 0), accuracyM: 10, takenAt: START - 1_000 },
      now: START + 60_000,
      expected: { record: false, reason: 'stale' },
    },
    {
      name: 'the very fix of the last point',
      fix: { ...ORIGIN, accuracyM: 10, takenAt: START },
      now: START + 60_000,
      expected: { record: false, reason: 'stale' },
    },
    {
      name: 'clock set back behind the last point',
      fix: { ...offset(500, 0), accuracyM: 10, takenAt: START - 10_000 },
      now: START - 9_800,
      expected: { record: false, reason: 'clock-behind' },
    },
  ];

  it.each(cases)('$name', (testCase) => {
    const previous = 'last' in testCase ? testCase.last : last;
    expect(nextPointDue(previous, testCase.fix, testCase.now, SETTINGS)).toEqual(testCase.expected);
  });

  it('follows the deployment’s spacing and interval', () => {
    const fix = { ...offset(60, 0), accuracyM: 10, takenAt: START + 12_000 };
    expect(nextPointDue(last, fix, START + 12_000, SETTINGS).record).toBe(false);
    expect(nextPointDue(last, fix, START + 12_000, { spacingM: 50, intervalS: 30 })).toEqual({ record: true, reason: 'moved' });
    expect(nextPointDue(last, fix, START + 12_000, { spacingM: 500, intervalS: 10 })).toEqual({ record: true, reason: 'interval' });
  });
});

describe('nextPointDue: a track, fix after fix', () => {
  it('walking at 5 km/h records one point per interval (the spacing comes later)', () => {
    const { points } = simulate(straightLine(600, 5 / 3.6));
    expect(points).toHaveLength(21);
    expect(points[0]!.reason).toBe('first');
    expect(points.slice(1).every((p) => p.reason === 'interval')).toBe(true);
    expect(intervals(points).every((ms) => ms === 30_000)).toBe(true);
    expect(trackStats(points).distanceM).toBeCloseTo(600 * (5 / 3.6), -1);
  });

  it('walking with a 2-minute interval records by distance every 100 m', () => {
    const { points } = simulate(straightLine(600, 5 / 3.6), { spacingM: 100, intervalS: 120 });
    expect(points.slice(1).every((p) => p.reason === 'moved')).toBe(true);
    for (const gap of gaps(points)) {
      expect(gap).toBeGreaterThanOrEqual(100);
      expect(gap).toBeLessThan(100 + 5 / 3.6);
    }
    expect(points).toHaveLength(1 + Math.floor((600 * (5 / 3.6)) / 100));
  });

  it('driving at 90 km/h records a point every 100 m, about every 4 s', () => {
    const { points } = simulate(straightLine(120, 25));
    expect(points.slice(1).every((p) => p.reason === 'moved')).toBe(true);
    for (const gap of gaps(points)) {
      expect(gap).toBeGreaterThanOrEqual(100);
      expect(gap).toBeLessThan(125);
    }
    // 3 km driven: between 24 (a fix every 5 s) and 31 (every 4 s) points.
    expect(points.length).toBeGreaterThanOrEqual(24);
    expect(points.length).toBeLessThanOrEqual(31);
    expect(intervals(points).every((ms) => ms >= 4_000 && ms <= 5_000)).toBe(true);
  });

  it('standing still for 5 minutes records one point per interval, whatever the jitter', () => {
    // The fixes wander up to 9 m around the spot (accuracy 10 m), as a standing phone's do.
    const stream = Array.from({ length: 301 }, (_, s) => seen(9 * Math.sin(s), 9 * Math.cos(s * 1.3), START + s * 1000, 10));
    const { points } = simulate(stream);
    expect(points).toHaveLength(11);
    expect(points.slice(1).every((p) => p.reason === 'interval')).toBe(true);
    expect(intervals(points).every((ms) => ms === 30_000)).toBe(true);
  });

  it('standing still under a poor sky: jumps within the accuracy are not movement', () => {
    // Accuracy 150 m, fixes jumping 120 m around: more than the spacing, less than the accuracy.
    const stream = Array.from({ length: 301 }, (_, s) => seen(s % 2 === 0 ? 0 : 120, 0, START + s * 1000, 150));
    const { points } = simulate(stream);
    expect(points).toHaveLength(11);
    expect(points.slice(1).every((p) => p.reason === 'interval')).toBe(true);
  });

  it('ignores a GPS jump with a useless accuracy: no point there, no distance added', () => {
    const stream = straightLine(60, 25);
    // At 30 s the phone claims to be 3 km east, ± 2.5 km.
    stream[30] = seen(0, 3000, START + 30_000, 2500);
    const { points, skips } = simulate(stream);
    expect(skips).toContain('inaccurate');
    expect(points.every((p) => distanceM(p, offset(0, 3000)) > 2000)).toBe(true);
    // Along a straight road the points' sum is the road's length: no detour through the jump.
    expect(trackStats(points).distanceM).toBeCloseTo(distanceM(points[0]!, points.at(-1)!), 3);
    for (const gap of gaps(points)) expect(gap).toBeLessThan(150);
  });

  it('never records a point earlier than the previous one when the clock goes backwards', () => {
    // Driving; at 60 s the phone's clock is set back 45 s (a network time correction), then runs on.
    const stream = Array.from({ length: 181 }, (_, s) => {
      const clock = START + s * 1000 - (s >= 60 ? 45_000 : 0);
      return seen(s * 25, 0, clock);
    });
    const { points, skips } = simulate(stream);
    expect(skips).toContain('clock-behind');
    for (const ms of intervals(points)) expect(ms).toBeGreaterThan(0);
    // Paused while the clock read earlier than the last point, recording picks up again after.
    // The next point comes from the first fix the clock stamps after the last point before the change.
    const before = points.filter((p) => p.index < 60);
    const after = points.filter((p) => p.index >= 60);
    const lastBefore = before.at(-1)!;
    const resumeAt = stream.findIndex((x, s) => s >= 60 && x.fix.takenAt > lastBefore.at);
    expect(resumeAt).toBeGreaterThan(100);
    expect(after[0]).toMatchObject({ reason: 'moved', index: resumeAt, at: stream[resumeAt]!.now });
    expect(after.length).toBeGreaterThanOrEqual(15);
  });

  it('skips a fix delivered late, taken before the last point', () => {
    const stream = [seen(0, 0, START), seen(150, 0, START + 10_000), seen(400, 0, START + 5_000, 8, 6_000), seen(300, 0, START + 12_000)];
    const { points, skips } = simulate(stream);
    expect(skips).toEqual(['stale']);
    expect(points.map((p) => p.reason)).toEqual(['first', 'moved', 'moved']);
  });
});

describe('track stats', () => {
  const points: TrackPoint[] = [
    { ...offset(0, 0), at: START },
    { ...offset(150, 0), at: START + 60_000 },
    { ...offset(150, 200), at: START + 150_000 },
  ];

  it('sums the distance point to point and counts the points', () => {
    const stats = trackStats(points);
    expect(stats.count).toBe(3);
    expect(stats.distanceM).toBeCloseTo(350, 0);
    expect(stats.durationMs).toBe(150_000);
  });

  it('gives the same totals point by point as from the whole list', () => {
    const totals = points.reduce(addPoint, EMPTY_TOTALS);
    expect(totals.pointCount).toBe(3);
    expect(totals.distanceM).toBe(trackStats(points).distanceM);
    expect(totals.lastPoint).toEqual(points[2]);
  });

  it('is empty without points and zero-length with one', () => {
    expect(trackStats([])).toEqual({ count: 0, distanceM: 0, durationMs: 0 });
    expect(trackStats([points[0]!])).toEqual({ count: 1, distanceM: 0, durationMs: 0 });
  });

  it('counts the duration until the end, or until now while running', () => {
    expect(trackDurationMs({ startedAt: START, endedAt: START + 90_000 }, START + 500_000)).toBe(90_000);
    expect(trackDurationMs({ startedAt: START }, START + 42_000)).toBe(42_000);
    expect(trackDurationMs({ startedAt: START }, START - 5_000)).toBe(0);
  });
});
