import type { Reading } from '../../domain/reading.ts';
import { recordPoint, type PointResult } from '../../store/tracks.ts';
import { saveReading } from '../evidence/save-reading.ts';

/**
 * Stores a track's point (the reading and the track's totals, in one transaction) through
 * the same path as any saved reading (src/app/evidence/save-reading.ts): the point is held
 * back while the network is measured, gets its probe, then leaves.
 */
export async function recordTrackPoint(reading: Reading, recordedBy: string | undefined): Promise<PointResult> {
  let result: PointResult | undefined;
  await saveReading(reading, recordedBy, {
    store: async (savedAt, heldUntil, toStore) => {
      result = await recordPoint(toStore, { savedAt, heldUntil });
      return result.recorded;
    },
  });
  return result!;
}
