import { withDb, type OfflineAreaRecord } from './db.ts';

export type { OfflineAreaRecord } from './db.ts';

/**
 * The areas of base map downloaded for offline use (IndexedDB store `offlineAreas`). The
 * tiles themselves are in Cache Storage; these records say what each area covers and how far
 * its download went.
 */

/** Every area, newest first. */
export async function listOfflineAreas(): Promise<OfflineAreaRecord[]> {
  const areas = await withDb((db) => db.getAll('offlineAreas'));
  return areas.sort((a, b) => b.createdAt - a.createdAt);
}

export function getOfflineArea(id: string): Promise<OfflineAreaRecord | undefined> {
  return withDb((db) => db.get('offlineAreas', id));
}

export async function addOfflineArea(area: OfflineAreaRecord): Promise<void> {
  await withDb((db) => db.add('offlineAreas', area));
}

export interface AreaProgress {
  doneCount: number;
  failedCount: number;
  bytesStored: number;
  state: OfflineAreaRecord['state'];
  completedAt?: number;
}

/**
 * Records how far an area's download went. Returns false, changing nothing, when the area
 * is gone: it was deleted while its download was still finishing a tile.
 */
export function updateOfflineArea(id: string, progress: Partial<AreaProgress>): Promise<boolean> {
  return withDb(async (db) => {
    const transaction = db.transaction('offlineAreas', 'readwrite');
    const area = await transaction.store.get(id);
    if (!area) {
      await transaction.done;
      return false;
    }
    await transaction.store.put({ ...area, ...progress });
    await transaction.done;
    return true;
  });
}

export async function deleteOfflineArea(id: string): Promise<void> {
  await withDb((db) => db.delete('offlineAreas', id));
}
