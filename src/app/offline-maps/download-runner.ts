import { areaHoldsTile, tileUrl, tilesOf } from '../../domain/tiles.ts';
import { deleteOfflineArea, getOfflineArea, listOfflineAreas, updateOfflineArea, type OfflineAreaRecord } from '../../store/offline-areas.ts';
import { OFFLINE_TILES_CACHE, TILE_MATCH_OPTIONS } from '../../store/tile-caches.ts';
import { createStore } from '../shell/tiny-store.ts';
import { downloadArea, type DownloadCounts, type DownloadOutcome } from './download-area.ts';

/**
 * Runs the areas' downloads outside any screen: leaving the map does not stop one, and a
 * reload resumes those that were running (resumeInterruptedDownloads). One run per area
 * across tabs (Web Lock), so two tabs never fetch the same tiles side by side.
 */

export interface DownloadsState {
  /** Live counts of the areas downloading in this tab. */
  progress: Record<string, DownloadCounts>;
  /** Why an area's download stopped by itself (offline, server, storage), in French. */
  notices: Record<string, StopNotice>;
  /** Bumped whenever an area's record changed: the list reads IndexedDB again. */
  revision: number;
}

export const downloads = createStore<DownloadsState>({ progress: {}, notices: {}, revision: 0 });

const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
const PERSIST_EVERY_MS = 500;

export interface StopNotice {
  text: string;
  /** The agent may simply try again (« Réessayer »): the cause is the tile server's, and may pass. */
  retry: boolean;
}

const NOTICES: Record<Exclude<DownloadOutcome, 'complete' | 'cancelled'>, StopNotice> = {
  offline: { text: 'Appareil hors ligne : téléchargement en pause. Il reprendra de lui-même au retour du réseau.', retry: false },
  unreachable: {
    text: 'Le serveur de cartes ne répond pas : téléchargement en pause. Il est peut-être en panne, ou le réseau est trop faible ici. Réessayez dans un moment.',
    retry: true,
  },
  server: { text: 'Le serveur de cartes refuse pour l’instant (trop de demandes ou panne) : téléchargement en pause. Réessayez dans un moment.', retry: true },
  full: { text: 'Espace de stockage plein : téléchargement en pause. Supprimez une zone ou libérez de la place, puis « Reprendre ».', retry: false },
};

export function isRunning(areaId: string): boolean {
  return running.has(areaId);
}

/** Starts or resumes an area's download in this tab, unless it runs already (here or in another tab). */
export function startDownload(areaId: string): Promise<void> {
  const current = running.get(areaId);
  if (current) return current.done;
  const controller = new AbortController();
  const done = withAreaLock(areaId, () => run(areaId, controller.signal)).finally(() => {
    running.delete(areaId);
    const { [areaId]: _finished, ...progress } = downloads.get().progress;
    downloads.set({ progress, revision: downloads.get().revision + 1 });
  });
  running.set(areaId, { controller, done });
  return done;
}

/** « Annuler »: stops the download; the area stays, paused, with what it has. */
export async function cancelDownload(areaId: string): Promise<void> {
  const current = running.get(areaId);
  if (!current) return;
  current.controller.abort();
  await current.done;
}

/** After a reload: areas left « downloading » carry on. */
export async function resumeInterruptedDownloads(): Promise<void> {
  for (const area of await listOfflineAreas()) {
    if (area.state === 'downloading' && !running.has(area.id)) void startDownload(area.id);
  }
}

/**
 * Deletes an area and those of its tiles no other area still holds (same source, overlapping
 * area and zooms).
 */
export async function deleteArea(areaId: string): Promise<void> {
  await cancelDownload(areaId);
  const area = await getOfflineArea(areaId);
  if (!area) return;
  await deleteOfflineArea(areaId);
  setNotice(areaId, undefined);
  downloads.set({ revision: downloads.get().revision + 1 });
  const others = (await listOfflineAreas()).filter((other) => other.urlTemplate === area.urlTemplate);
  const cache = await caches.open(OFFLINE_TILES_CACHE);
  for (const tile of tilesOf(area.bbox, area)) {
    if (others.some((other) => areaHoldsTile(other.bbox, other, tile))) continue;
    await cache.delete(tileUrl(area.urlTemplate, tile), TILE_MATCH_OPTIONS);
  }
}

async function run(areaId: string, signal: AbortSignal): Promise<void> {
  const area = await getOfflineArea(areaId);
  if (!area || area.state === 'complete') return;
  setNotice(areaId, undefined);
  await record(areaId, { state: 'downloading' });
  let lastPersist = 0;
  let persisting: Promise<unknown> = Promise.resolve();
  const outcome = await downloadArea(area, signal, (counts) => {
    downloads.set({ progress: { ...downloads.get().progress, [areaId]: counts } });
    if (Date.now() - lastPersist < PERSIST_EVERY_MS) return;
    lastPersist = Date.now();
    persisting = persisting.then(() => updateOfflineArea(areaId, counts)).catch(() => undefined);
  });
  // A late progress write must not land over the final state.
  await persisting;
  const counts = downloads.get().progress[areaId] ?? { doneCount: 0, failedCount: 0, bytesStored: 0 };
  if (outcome === 'complete') {
    // The counts of the last tiles may not have been reported: a complete area holds all of them.
    await record(areaId, { ...counts, doneCount: area.tileCount, state: 'complete', completedAt: Date.now() });
    return;
  }
  await record(areaId, { ...counts, state: 'paused' });
  if (outcome === 'cancelled') return;
  setNotice(areaId, NOTICES[outcome]);
  if (outcome === 'offline') resumeWhenOnline(areaId);
}

function resumeWhenOnline(areaId: string): void {
  const resume = () => {
    void getOfflineArea(areaId).then((area) => {
      // Not if the agent deleted it, or it was completed by another tab, meanwhile.
      if (area?.state === 'paused' && downloads.get().notices[areaId] === NOTICES.offline) void startDownload(areaId);
    });
  };
  if (navigator.onLine) {
    // The browser still believes it is online (a dead Wi-Fi, a captive portal): try again later.
    setTimeout(resume, 30_000);
  } else {
    window.addEventListener('online', resume, { once: true });
  }
}

async function record(areaId: string, changes: Partial<OfflineAreaRecord>): Promise<void> {
  await updateOfflineArea(areaId, changes);
  downloads.set({ revision: downloads.get().revision + 1 });
}

function setNotice(areaId: string, notice: StopNotice | undefined): void {
  const { [areaId]: _previous, ...notices } = downloads.get().notices;
  downloads.set({ notices: notice ? { ...notices, [areaId]: notice } : notices });
}

/** Runs `work` holding the area's Web Lock, or not at all when another tab holds it. */
async function withAreaLock(areaId: string, work: () => Promise<void>): Promise<void> {
  if (!navigator.locks) return work();
  await navigator.locks.request(`couverture-offline-area-${areaId}`, { ifAvailable: true }, async (lock) => {
    if (lock) await work();
  });
}
