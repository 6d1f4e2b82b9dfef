import type { Fix, GeolocationState } from './use-geolocation.ts';
import { createStore } from '../shell/tiny-store.ts';

/**
 * One watch of the device's position shared by every screen that shows it, held by leases:
 * it runs while at least one lease is held, and forgets its last fix when the last is
 * released, so that a screen opened later never starts from an old position.
 */
export const positionState = createStore<{ state: GeolocationState }>({ state: initialState() });

let holders = 0;
let watchId: number | undefined;
let earlyLease: (() => void) | undefined;
/** The start's lease was taken over or let go: an early hold answered late must not take one. */
let earlyOver = false;

function initialState(): GeolocationState {
  return typeof navigator !== 'undefined' && 'geolocation' in navigator ? { status: 'waiting' } : { status: 'unsupported' };
}

/** Starts following the position (if not already); the answer releases this lease, once. */
export function holdPosition(): () => void {
  holders += 1;
  if (holders === 1) start();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) stop();
  };
}

/**
 * At start on the survey screen, with the position already allowed: the first fix is asked for
 * while IndexedDB is read and the screen drawn, instead of after the screen's first paint, so
 * that « Enregistrer le relevé » is enabled sooner (issue 19). Never asks for the permission,
 * except with `surveyNext`: the survey will be the first screen (the role signed in last time
 * lands on it), whose own watch will ask anyway; the watch then starts at once, without first
 * querying the permission, whose answer waits behind the start's evaluation and render
 * (~100–300 ms at CPU ÷4). The lease is taken over by the first screen that holds the
 * position, or let go by `releaseEarlyPosition` when the screen shown does not.
 */
export async function holdPositionEarly({ surveyNext = false } = {}): Promise<void> {
  if (earlyOver || earlyLease !== undefined || !('geolocation' in navigator)) return;
  if (surveyNext) {
    earlyLease = holdPosition();
    return;
  }
  if (!('permissions' in navigator)) return;
  try {
    const permission = await navigator.permissions.query({ name: 'geolocation' });
    if (permission.state !== 'granted' || earlyOver || earlyLease !== undefined) return;
  } catch {
    return;
  }
  earlyLease = holdPosition();
}

/** Lets go of the start's lease (a screen now holds its own, or needs none). */
export function releaseEarlyPosition(): void {
  earlyOver = true;
  earlyLease?.();
  earlyLease = undefined;
}

function start(): void {
  if (!('geolocation' in navigator)) return;
  positionState.set({ state: { status: 'waiting' } });
  watchId = navigator.geolocation.watchPosition(
    (position) => positionState.set({ state: { status: 'ok', fix: toFix(position) } }),
    (error) => {
      if (error.code === error.PERMISSION_DENIED) positionState.set({ state: { status: 'denied' } });
      // A timeout or a lost fix keeps the last good position on screen, aged.
      else if (positionState.get().state.status !== 'ok') positionState.set({ state: { status: 'unavailable', message: error.message } });
    },
    { enableHighAccuracy: true, maximumAge: 5_000, timeout: 60_000 },
  );
}

function stop(): void {
  if (watchId !== undefined) navigator.geolocation.clearWatch(watchId);
  watchId = undefined;
  positionState.set({ state: initialState() });
}

function toFix({ coords, timestamp }: GeolocationPosition): Fix {
  const fix: Fix = { lat: coords.latitude, lon: coords.longitude, accuracyM: coords.accuracy, takenAt: timestamp };
  if (coords.altitude !== null) fix.altitudeM = coords.altitude;
  if (coords.speed !== null && Number.isFinite(coords.speed)) fix.speedMps = coords.speed;
  if (coords.heading !== null && Number.isFinite(coords.heading) && coords.speed) fix.headingDeg = coords.heading % 360;
  return fix;
}
