import { useEffect } from 'preact/hooks';
import { useStore } from '../shell/tiny-store.ts';
import { holdPosition, positionState, releaseEarlyPosition } from './position-watch.ts';

export interface Fix {
  lat: number;
  lon: number;
  accuracyM: number;
  altitudeM?: number;
  speedMps?: number;
  headingDeg?: number;
  /** When the device took the fix (ms since epoch), or when the agent placed the point. */
  takenAt: number;
  /** Placed by hand on a map, the phone having no position (the reading says positionSource: 'manual'). */
  manual?: true;
  /** The average of this many fixes of a static test (static-position.ts; the reading's positionFixes). */
  fixes?: number;
}

export type GeolocationState =
  | { status: 'waiting' }
  | { status: 'ok'; fix: Fix }
  | { status: 'denied' }
  | { status: 'unavailable'; message: string }
  | { status: 'unsupported' };

/**
 * Follows the device's position for as long as the component is shown (one watch shared by
 * every screen showing it, position-watch.ts).
 */
export function useGeolocation(): GeolocationState {
  const { state } = useStore(positionState);
  useEffect(() => {
    const release = holdPosition();
    // This screen holds the position now: the start's early watch (if any) is taken over.
    releaseEarlyPosition();
    return release;
  }, []);
  return state;
}
