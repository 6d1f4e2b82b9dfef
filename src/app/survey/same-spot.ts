import { distanceM } from '../../domain/geo.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Fix } from './use-geolocation.ts';

/**
 * « Même endroit, autre opérateur »: agents carry one phone per operator and record the
 * same spot for each in a row. The spot is the position fix of the first reading there;
 * the following ones reuse it, so that they fall on the same point, the same grid cell.
 */
export interface SameSpot {
  fix: Fix;
  /** Operators recorded at this spot, in the order they were. */
  done: Operator[];
  /** The agent asked to record another operator here: the next save reuses `fix`. */
  following: boolean;
}

/** Further than this from the spot, the agent has moved on. */
export const SAME_SPOT_RADIUS_M = 30;

/** The first operator of `order` (the campaign's, or all four) not yet recorded here. */
export function nextOperator(order: readonly Operator[], spot: SameSpot | undefined): Operator | undefined {
  return order.find((operator) => !spot?.done.includes(operator));
}

/**
 * The spot after a save with `fix`: the same spot grown by one operator when the save
 * followed it, otherwise a new spot (a new fix ends the previous one).
 */
export function spotAfterSave(spot: SameSpot | undefined, fix: Fix, operator: Operator): SameSpot {
  if (spot?.following) return { fix: spot.fix, done: spot.done.includes(operator) ? spot.done : [...spot.done, operator], following: false };
  return { fix, done: [operator], following: false };
}

/** Whether the live position still stands at the spot. */
export function stillAtSpot(spot: SameSpot, live: Fix | undefined): boolean {
  return live === undefined || distanceM(spot.fix, live) <= SAME_SPOT_RADIUS_M;
}
