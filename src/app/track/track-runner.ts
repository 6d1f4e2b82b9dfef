import { DEFAULT_FIELD_SETTINGS, type TrackSettings } from '../../domain/field-settings.ts';
import { validateReading } from '../../domain/reading-schema.ts';
import { nextPointDue } from '../../domain/track.ts';
import { activeTrack, endTrack, startTrack, type TrackRecord } from '../../store/tracks.ts';
import { campaignFields, currentCampaign } from '../campaigns/current-campaign.ts';
import { saveFailureMessage } from '../evidence/save-failure.ts';
import { fieldSettings } from '../shell/field-settings.ts';
import { sessionState } from '../shell/session-state.ts';
import { createStore } from '../shell/tiny-store.ts';
import { buildReading } from '../survey/build-reading.ts';
import { newUuid } from '../survey/new-uuid.ts';
import type { Fix, GeolocationState } from '../survey/use-geolocation.ts';
import { recordTrackPoint } from './record-track-point.ts';
import { loadTrackChoices, saveTrackChoices, surveyChoicesOf, type TrackChoices } from './track-choices.ts';
import { keepScreenAwake, type WakeLockStatus } from './wake-lock.ts';

/**
 * The running track, kept outside the screen: it goes on recording while the agent looks at
 * another tab (« Relevé » for a call test, « Carte »), and it picks up again after a reload
 * from what IndexedDB holds (src/store/tracks.ts), never from memory.
 */
export interface TrackRunState {
  /** The store has been read for this account. */
  loaded: boolean;
  /** The track running for the signed-in account. */
  track?: TrackRecord | undefined;
  /** It was found running at load (a reload, the phone restarting the page) and picked up. */
  resumed: boolean;
  gps: GeolocationState;
  /** Why fixes make no point right now, when the agent should know it. */
  notice?: 'inaccurate' | 'clock-behind' | undefined;
  /** The last point could not be made (invalid choices, storage failure). */
  error?: string | undefined;
  wakeLock: WakeLockStatus;
  choices: TrackChoices;
  busy: boolean;
}

export const trackRun = createStore<TrackRunState>({
  loaded: false,
  resumed: false,
  gps: { status: 'waiting' },
  wakeLock: 'off',
  choices: loadTrackChoices(),
  busy: false,
});

/** The settings come from /api/v1/config, cached; a slow server must not hold up a start. */
const SETTINGS_WAIT_MS = 3_000;
/** How often the interval rule is checked against the latest fix when none arrives. */
const TICK_MS = 1_000;

let following: { trackId: string; stop: () => void } | undefined;
/** The newest fix the device gave; a fix makes at most one point (the rule's 'stale' case). */
let latestFix: Fix | undefined;
let considering = false;
let considerAgain = false;
let loading: Promise<void> | undefined;
/** The account whose tracks `trackRun` shows. */
let loadedFor: string | undefined;

const signedInUser = () => sessionState.get().session?.info.user.id;

/**
 * Reads this account's running track, once per page and account; if there is one, follows it
 * again (position watch, wake lock) and says so. Safe to call from anywhere, any number of
 * times: once loaded, the page's own state is the truth until someone else signs in.
 */
export function resumeActiveTrack(): Promise<void> {
  if (trackRun.get().loaded) return Promise.resolve();
  loading ??= (async () => {
    const user = signedInUser();
    const track = await activeTrack(user);
    if (signedInUser() !== user) return;
    loadedFor = user;
    if (track) {
      trackRun.set({ track, resumed: true });
      follow(track);
    }
    trackRun.set({ loaded: true });
  })().finally(() => {
    loading = undefined;
  });
  return loading;
}

export function updateTrackChoices(patch: Partial<TrackChoices>): void {
  const choices = { ...trackRun.get().choices, ...patch };
  saveTrackChoices(choices);
  trackRun.set({ choices, error: undefined });
  // A changed choice may have been what kept the due point from being valid.
  void consider();
}

/** Starts a track for the signed-in account, walking ('outdoor') or driving ('vehicle'). */
export async function beginTrack(): Promise<void> {
  if (trackRun.get().busy || trackRun.get().track) return;
  trackRun.set({ busy: true, error: undefined });
  try {
    const settings = await trackSettingsSoon();
    const track = await startTrack({
      id: newUuid(),
      recordedBy: signedInUser(),
      ...campaignFields(currentCampaign.get().campaign),
      settings,
      startedAt: Date.now(),
    });
    latestFix = undefined;
    trackRun.set({ track, resumed: false, notice: undefined });
    follow(track);
  } catch (error) {
    trackRun.set({ error: `Le parcours n’a pas pu démarrer : ${String(error)}` });
  } finally {
    trackRun.set({ busy: false });
  }
}

/** Ends the running track: no point after this one. */
export async function finishTrack(): Promise<void> {
  const { track, busy } = trackRun.get();
  if (!track || busy) return;
  trackRun.set({ busy: true });
  try {
    unfollow();
    await endTrack(track.id, Date.now());
    trackRun.set({ track: undefined, resumed: false, notice: undefined, error: undefined });
  } catch (error) {
    trackRun.set({ error: `Le parcours n’a pas pu être arrêté : ${String(error)}` });
    follow(track);
  } finally {
    trackRun.set({ busy: false });
  }
}

async function trackSettingsSoon(): Promise<TrackSettings> {
  const answer = await Promise.race([fieldSettings(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SETTINGS_WAIT_MS))]);
  return answer?.track ?? DEFAULT_FIELD_SETTINGS.track;
}

function follow(track: TrackRecord): void {
  if (following?.trackId === track.id) return;
  unfollow();
  const stops: (() => void)[] = [];
  if ('geolocation' in navigator) {
    const watchId = navigator.geolocation.watchPosition(
      (position) => {
        latestFix = fixOf(position);
        trackRun.set({ gps: { status: 'ok', fix: latestFix } });
        void consider();
      },
      (error) => {
        if (error.code === error.PERMISSION_DENIED) trackRun.set({ gps: { status: 'denied' } });
        // A timeout or a lost fix keeps the last good position on screen.
        else if (trackRun.get().gps.status !== 'ok') trackRun.set({ gps: { status: 'unavailable', message: error.message } });
      },
      // Every point needs a fresh fix: no cached position.
      { enableHighAccuracy: true, maximumAge: 0, timeout: 60_000 },
    );
    stops.push(() => navigator.geolocation.clearWatch(watchId));
  } else {
    trackRun.set({ gps: { status: 'unsupported' } });
  }
  const tick = setInterval(() => void consider(), TICK_MS);
  stops.push(() => clearInterval(tick));
  stops.push(keepScreenAwake((wakeLock) => trackRun.set({ wakeLock })));
  following = { trackId: track.id, stop: () => stops.forEach((stop) => stop()) };
}

function unfollow(): void {
  following?.stop();
  following = undefined;
}

/** Records a point from the latest fix if one is due; one at a time, folding calls made meanwhile. */
async function consider(): Promise<void> {
  if (considering) {
    considerAgain = true;
    return;
  }
  considering = true;
  try {
    do {
      considerAgain = false;
      await considerOnce();
    } while (considerAgain);
  } finally {
    considering = false;
  }
}

async function considerOnce(): Promise<void> {
  const { track, choices, notice } = trackRun.get();
  const fix = latestFix;
  if (!track || !fix || following?.trackId !== track.id) return;
  const now = Date.now();
  const decision = nextPointDue(track.lastPoint, fix, now, track);
  if (!decision.record) {
    const shown = decision.reason === 'inaccurate' || decision.reason === 'clock-behind' ? decision.reason : undefined;
    // 'stale' and 'too-soon' are the normal wait between points: nothing to say.
    if (shown !== notice) trackRun.set({ notice: shown });
    return;
  }
  const candidate = buildReading(newUuid(), surveyChoicesOf(choices), fix, new Date(now), {
    trackId: track.id,
    ...(track.campaignId !== undefined && { campaignId: track.campaignId }),
    ...(track.communeInsee !== undefined && { communeInsee: track.communeInsee }),
  });
  const validation = validateReading(candidate);
  if (!validation.ok) {
    const error = `Point non enregistré : ${validation.errors.map((e) => e.message).join(' ; ')}`;
    if (error !== trackRun.get().error) trackRun.set({ error });
    return;
  }
  try {
    const result = await recordTrackPoint(validation.reading, track.recordedBy);
    if (result.recorded) {
      trackRun.set({ track: result.track, notice: undefined, error: undefined });
    } else if (result.reason === 'ended') {
      // Ended from another tab: stop here too.
      unfollow();
      trackRun.set({ track: undefined, resumed: false, notice: undefined });
    } else if (result.track) {
      // Another tab recorded this spacing's point first: carry on from it.
      trackRun.set({ track: result.track });
    }
  } catch (error) {
    trackRun.set({ error: saveFailureMessage('Point non enregistré sur l’appareil', error) });
  }
}

function fixOf({ coords, timestamp }: GeolocationPosition): Fix {
  const fix: Fix = { lat: coords.latitude, lon: coords.longitude, accuracyM: coords.accuracy, takenAt: timestamp };
  if (coords.altitude !== null) fix.altitudeM = coords.altitude;
  if (coords.speed !== null && Number.isFinite(coords.speed)) fix.speedMps = coords.speed;
  if (coords.heading !== null && Number.isFinite(coords.heading) && coords.speed) fix.headingDeg = coords.heading % 360;
  return fix;
}

// A track belongs to the account that started it: when someone else signs in on this phone,
// it is left running for its owner and this page stops following it.
// The next resumeActiveTrack() (the screen calls it) then reads the new account's own.
sessionState.subscribe(({ session }) => {
  const { track, loaded } = trackRun.get();
  if (!loaded || (track ? track.recordedBy === session?.info.user.id : loadedFor === session?.info.user.id)) return;
  unfollow();
  trackRun.set({ track: undefined, resumed: false, loaded: false, notice: undefined, error: undefined });
});
