import type { TrackSettings } from '../domain/field-settings.ts';
import type { Reading } from '../domain/reading.ts';
import { addPoint, nextPointDue, type SkipReason } from '../domain/track.ts';
import { waitingRecord, withDb, type OutboxRecord, type TrackRecord } from './db.ts';

export type { TrackRecord } from './db.ts';
export { activeTrack } from './active-track.ts';

export interface NewTrack {
  id: string;
  /** The account signed in: the track's points are recorded under it. */
  recordedBy: string | undefined;
  /** The campaign picked when the track started; every point carries it. */
  campaignId?: string | undefined;
  communeInsee?: string | undefined;
  settings: TrackSettings;
  startedAt: number;
}

/**
 * Starts a track, unless this account already has one running: then that one is given back,
 * so that a double tap or a second tab never makes two.
 */
export function startTrack({ id, recordedBy, campaignId, communeInsee, settings, startedAt }: NewTrack): Promise<TrackRecord> {
  return withDb(async (db) => {
    const tx = db.transaction('tracks', 'readwrite');
    const running = (await tx.store.index('byState').getAll('active')).find((track) => track.recordedBy === recordedBy);
    if (running) {
      await tx.done;
      return running;
    }
    const track: TrackRecord = {
      id,
      state: 'active',
      startedAt,
      ...(recordedBy !== undefined && { recordedBy }),
      ...(campaignId !== undefined && { campaignId }),
      ...(communeInsee !== undefined && { communeInsee }),
      spacingM: settings.spacingM,
      intervalS: settings.intervalS,
      pointCount: 0,
      distanceM: 0,
    };
    await tx.store.add(track);
    await tx.done;
    return track;
  });
}

export function getTrack(id: string): Promise<TrackRecord | undefined> {
  return withDb((db) => db.get('tracks', id));
}

/** Every track on this device, newest first. */
export async function listTracks(): Promise<TrackRecord[]> {
  const all = await withDb((db) => db.getAll('tracks'));
  return all.sort((a, b) => b.startedAt - a.startedAt);
}

/** Ends a track; ending it again changes nothing. */
export function endTrack(id: string, endedAt: number): Promise<TrackRecord | undefined> {
  return withDb(async (db) => {
    const tx = db.transaction('tracks', 'readwrite');
    const track = await tx.store.get(id);
    if (!track || track.state === 'ended') {
      await tx.done;
      return track;
    }
    const ended: TrackRecord = { ...track, state: 'ended', endedAt: Math.max(endedAt, track.startedAt) };
    await tx.store.put(ended);
    await tx.done;
    return ended;
  });
}

export interface PointOptions {
  /** When the device stored it (the outbox sends oldest first). */
  savedAt: number;
  /** Not sent before this time: evidence (the connectivity probe) is being measured for it. */
  heldUntil?: number | undefined;
}

export type PointResult =
  | { recorded: true; track: TrackRecord; record: OutboxRecord }
  /** 'ended': the track is over (or gone); a point arriving after « Arrêter » is not one of it. */
  | { recorded: false; reason: SkipReason | 'ended'; track: TrackRecord | undefined };

/**
 * Records one point of a track: the reading goes into the outbox AND the track's count,
 * distance and last point move on, in one transaction over both stores, so that a reload or
 * a crash at any instant leaves both or neither: no point lost from the count, none counted
 * twice. The spacing rule (src/domain/track.ts) is checked again inside the transaction
 * against the stored last point, so two tabs following one track, or two fixes arriving
 * while a save runs, still make one point. A reading whose id is already stored aborts the
 * whole transaction (ConstraintError) and changes nothing.
 */
export function recordPoint(reading: Reading, { savedAt, heldUntil }: PointOptions): Promise<PointResult> {
  const trackId = reading.trackId;
  if (trackId === undefined) return Promise.reject(new Error('Un point de parcours doit porter trackId'));
  const recordedAt = Date.parse(reading.recordedAt);
  const fix = { lat: reading.lat, lon: reading.lon, accuracyM: reading.accuracyM, takenAt: recordedAt - (reading.positionAgeMs ?? 0) };
  return withDb(async (db) => {
    const tx = db.transaction(['outbox', 'tracks'], 'readwrite');
    const tracks = tx.objectStore('tracks');
    const track = await tracks.get(trackId);
    if (track?.state !== 'active') {
      await tx.done;
      return { recorded: false, reason: 'ended', track };
    }
    const decision = nextPointDue(track.lastPoint, fix, recordedAt, track);
    if (!decision.record) {
      await tx.done;
      return { recorded: false, reason: decision.reason, track };
    }
    const record = waitingRecord(reading, savedAt, { recordedBy: track.recordedBy, heldUntil });
    const totals = addPoint(track, { lat: reading.lat, lon: reading.lon, at: recordedAt });
    const updated: TrackRecord = { ...track, pointCount: totals.pointCount, distanceM: totals.distanceM, lastPoint: totals.lastPoint! };
    // Both requests are queued before awaiting either: a failure of one aborts the other.
    await Promise.all([tx.objectStore('outbox').add(record), tracks.put(updated), tx.done]);
    return { recorded: true, track: updated, record };
  });
}
