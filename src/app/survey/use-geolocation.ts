import { useEffect, useState } from 'preact/hooks';

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

/** Follows the device's position for as long as the component is shown. */
export function useGeolocation(): GeolocationState {
  const [state, setState] = useState<GeolocationState>(() => ('geolocation' in navigator ? { status: 'waiting' } : { status: 'unsupported' }));

  useEffect(() => {
    if (!('geolocation' in navigator)) return;
    const watchId = navigator.geolocation.watchPosition(
      (position) => setState({ status: 'ok', fix: toFix(position) }),
      (error) => {
        if (error.code === error.PERMISSION_DENIED) setState({ status: 'denied' });
        // A timeout or a lost fix keeps the last good position on screen, aged.
        else setState((previous) => (previous.status === 'ok' ? previous : { status: 'unavailable', message: error.message }));
      },
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 60_000 },
    );
    return () => navigator.geolocation.clearWatch(watchId);
  }, []);

  return state;
}

function toFix({ coords, timestamp }: GeolocationPosition): Fix {
  const fix: Fix = { lat: coords.latitude, lon: coords.longitude, accuracyM: coords.accuracy, takenAt: timestamp };
  if (coords.altitude !== null) fix.altitudeM = coords.altitude;
  if (coords.speed !== null && Number.isFinite(coords.speed)) fix.speedMps = coords.speed;
  if (coords.heading !== null && Number.isFinite(coords.heading) && coords.speed) fix.headingDeg = coords.heading % 360;
  return fix;
}
