import type { TrackSettings } from './field-settings.ts';
import { distanceM } from './geo.ts';
import { MAX_ACCURACY_M } from './reading.ts';

/**
 * « Parcours »: when a track records its next point, and what the track amounts to. Pure, so
 * that the screen, the store (which checks the rule again inside its transaction) and the
 * tests share one rule.
 */

/** A point already recorded: where, and when it was recorded (device clock, ms since epoch). */
export interface TrackPoint {
  lat: number;
  lon: number;
  at: number;
}

/** A position as the device gave it. */
export interface TrackFix {
  lat: number;
  lon: number;
  /** Radius (m) within which the device says it probably is. */
  accuracyM: number;
  /** When the device took the fix (ms since epoch). */
  takenAt: number;
}

export type RecordReason = 'first' | 'moved' | 'interval';
export type SkipReason = 'inaccurate' | 'clock-behind' | 'stale' | 'too-soon';

export type PointDecision = { record: true; reason: RecordReason } | { record: false; reason: SkipReason };

/**
 * Whether `fix`, seen at `now`, makes the track's next point. In this order:
 * - a fix less precise than MAX_ACCURACY_M is never a point: the reading would be refused as
 *   evidence anyway, and a wild GPS jump usually comes with such an accuracy;
 * - the first point is recorded at once;
 * - while the device's clock reads earlier than the last point ('clock-behind', it was set
 *   back), and for a fix taken at or before the last point ('stale': a cached position
 *   delivered late, or the very fix already used), nothing is recorded: a point must never
 *   come before the previous one in time, nor be recorded twice from one fix. Recording
 *   resumes as soon as the clock passes the last point again;
 * - then a point is due when the agent has moved `spacingM` or more, or `intervalS` has
 *   passed since the last point, whichever comes first.
 * Jitter: a standing phone's fixes wander within their accuracy radius. A fix that lies
 * within its own accuracy of the last point may be the same place measured again, so that
 * distance does not count as movement (the interval still applies). Movement therefore
 * needs max(spacingM, accuracyM) metres.
 */
export function nextPointDue(last: TrackPoint | undefined, fix: TrackFix, now: number, { spacingM, intervalS }: TrackSettings): PointDecision {
  // Written so that NaN fails the test too.
  if (!(fix.accuracyM >= 0 && fix.accuracyM <= MAX_ACCURACY_M)) return { record: false, reason: 'inaccurate' };
  if (!last) return { record: true, reason: 'first' };
  if (now < last.at) return { record: false, reason: 'clock-behind' };
  if (fix.takenAt <= last.at) return { record: false, reason: 'stale' };
  const moved = distanceM(last, fix);
  if (moved >= spacingM && moved > fix.accuracyM) return { record: true, reason: 'moved' };
  if (now - last.at >= intervalS * 1000) return { record: true, reason: 'interval' };
  return { record: false, reason: 'too-soon' };
}

/** What a track keeps as it goes, so that showing it never needs its points read back. */
export interface TrackTotals {
  pointCount: number;
  /** Summed point to point, in metres. */
  distanceM: number;
  lastPoint?: TrackPoint | undefined;
}

export const EMPTY_TOTALS: TrackTotals = { pointCount: 0, distanceM: 0 };

/** The totals once `point` is added after the others. */
export function addPoint(totals: TrackTotals, point: TrackPoint): TrackTotals {
  return {
    pointCount: totals.pointCount + 1,
    distanceM: totals.distanceM + (totals.lastPoint ? distanceM(totals.lastPoint, point) : 0),
    lastPoint: { lat: point.lat, lon: point.lon, at: point.at },
  };
}

export interface TrackStats {
  count: number;
  distanceM: number;
  /** From the first point to the last (0 for fewer than two points). */
  durationMs: number;
}

/** A track's figures from its points, in the order they were recorded. */
export function trackStats(points: readonly TrackPoint[]): TrackStats {
  const totals = points.reduce(addPoint, EMPTY_TOTALS);
  const first = points[0];
  const last = points[points.length - 1];
  return {
    count: totals.pointCount,
    distanceM: totals.distanceM,
    durationMs: first && last ? Math.max(0, last.at - first.at) : 0,
  };
}

/** How long a track has run: until it ended, or until `now` while it runs. */
export function trackDurationMs(track: { startedAt: number; endedAt?: number | undefined }, now: number): number {
  return Math.max(0, (track.endedAt ?? now) - track.startedAt);
}
