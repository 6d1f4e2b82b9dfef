import { type TrackRecord, withDb } from './db.ts';

// Its own module: the app asks it at every start, without loading the rest of the tracks' code.
/** The track this account has running on this device, if any (another account's is not its to continue). */
export async function activeTrack(recordedBy: string | undefined): Promise<TrackRecord | undefined> {
  const running = await withDb((db) => db.getAllFromIndex('tracks', 'byState', 'active'));
  return running.find((track) => track.recordedBy === recordedBy);
}
