import { beforeEach, describe, expect, it } from 'vitest';
import type { TileSource } from '../../src/domain/tile-source.ts';
import { countTiles, type LonLatBox } from '../../src/domain/tiles.ts';
import { DB_VERSION, closeDb, getDb } from '../../src/store/db.ts';
import {
  addOfflineArea,
  deleteOfflineArea,
  getOfflineArea,
  listOfflineAreas,
  updateOfflineArea,
  type OfflineAreaRecord,
} from '../../src/store/offline-areas.ts';
import { readBrowseCacheLimit, readTileSources, saveTileSources } from '../../src/store/tile-sources.ts';
import { defaultAreaName, defaultZooms, fitsInStorage, formatMegabytes, planArea, zoomChoiceLabel, zoomWords } from '../../src/app/offline-maps/plan-area.ts';
import { createOldDevice, freshDatabase } from './helpers.ts';

beforeEach(freshDatabase);

const VILLAGE: LonLatBox = [3.54, 43.727, 3.565, 43.741];

const PLAN_IGN: TileSource = {
  id: 'plan-ign',
  label: 'Plan IGN',
  url: 'https://data.geopf.fr/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}',
  attribution: '© IGN',
  minZoom: 0,
  maxZoom: 19,
  allowsPrefetch: true,
  averageTileBytes: 25_000,
};

function area(overrides: Partial<OfflineAreaRecord> = {}): OfflineAreaRecord {
  return {
    id: crypto.randomUUID(),
    name: 'Saint-Guilhem-le-Désert',
    sourceId: 'plan-ign',
    urlTemplate: PLAN_IGN.url,
    bbox: VILLAGE,
    minZoom: 14,
    maxZoom: 15,
    tileCount: 13,
    doneCount: 0,
    failedCount: 0,
    bytesStored: 0,
    state: 'downloading',
    createdAt: 1_000,
    ...overrides,
  };
}

describe('offline areas store', () => {
  it('lists areas newest first and keeps their box and zooms as given', async () => {
    const older = area({ name: 'Ancienne', createdAt: 1 });
    const newer = area({ name: 'Récente', createdAt: 2 });
    await addOfflineArea(older);
    await addOfflineArea(newer);
    expect((await listOfflineAreas()).map((listed) => listed.name)).toEqual(['Récente', 'Ancienne']);
    expect(await getOfflineArea(older.id)).toEqual(older);
  });

  it('records progress and state without touching the rest of the area', async () => {
    const saved = area();
    await addOfflineArea(saved);
    expect(await updateOfflineArea(saved.id, { doneCount: 5, bytesStored: 9_000 })).toBe(true);
    expect(await updateOfflineArea(saved.id, { state: 'paused' })).toBe(true);
    expect(await getOfflineArea(saved.id)).toEqual({ ...saved, doneCount: 5, bytesStored: 9_000, state: 'paused' });
  });

  it('does not bring back an area deleted while its download was finishing a tile', async () => {
    const saved = area();
    await addOfflineArea(saved);
    await deleteOfflineArea(saved.id);
    expect(await updateOfflineArea(saved.id, { doneCount: 6 })).toBe(false);
    expect(await listOfflineAreas()).toEqual([]);
  });

  it('refuses two areas with one id', async () => {
    const saved = area();
    await addOfflineArea(saved);
    await expect(addOfflineArea({ ...saved, name: 'Doublon' })).rejects.toThrow();
    expect((await getOfflineArea(saved.id))?.name).toBe(saved.name);
  });

  it('hands the tile sources and the browsing cache limit over to the service worker through meta', async () => {
    expect(await readTileSources()).toBeUndefined();
    expect(await readBrowseCacheLimit()).toBeUndefined();
    const config = { sources: [PLAN_IGN], defaultSourceId: 'plan-ign' };
    await saveTileSources(config);
    expect(await readTileSources()).toEqual(config);
    const db = await getDb();
    await db.put('meta', 5, 'tileBrowseCacheLimit');
    expect(await readBrowseCacheLimit()).toBe(5);
    await db.put('meta', -3, 'tileBrowseCacheLimit');
    expect(await readBrowseCacheLimit()).toBeUndefined();
  });
});

describe('upgrade to version 4', () => {
  it('adds the offlineAreas store to a version-3 device and keeps its tracks and meta', async () => {
    // Version 3 as its own upgrade code made it, with a track and the chosen campaign.
    await createOldDevice(3, (transaction) => {
      transaction.objectStore('meta').put({ id: 'c1' }, 'campaign');
      transaction.objectStore('tracks').put({ id: 't1', state: 'active' });
    });
    await closeDb();

    const db = await getDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['meta', 'offlineAreas', 'outbox', 'reports', 'tracks']);
    expect(await db.get('meta', 'campaign')).toEqual({ id: 'c1' });
    expect(await db.get('tracks', 't1')).toEqual({ id: 't1', state: 'active' });
    await addOfflineArea(area());
    expect(await listOfflineAreas()).toHaveLength(1);
  });
});

describe('planning an area', () => {
  const plenty = { usage: 10_000_000, quota: 2_000_000_000 };

  it('counts the tiles and their weight for the view and zooms', () => {
    const plan = planArea(VILLAGE, { minZoom: 14, maxZoom: 15 }, PLAN_IGN, plenty);
    expect(plan).toEqual({ zooms: { minZoom: 14, maxZoom: 15 }, tileCount: 13, bytes: 13 * 25_000 });
    expect(formatMegabytes(plan.bytes)).toBe('0,3 Mo');
  });

  it('keeps to the source’s zooms', () => {
    const plan = planArea(VILLAGE, { minZoom: 14, maxZoom: 21 }, { ...PLAN_IGN, maxZoom: 16 }, plenty);
    expect(plan.zooms).toEqual({ minZoom: 14, maxZoom: 16 });
    expect(plan.tileCount).toBe(countTiles(VILLAGE, { minZoom: 14, maxZoom: 16 }));
  });

  it('refuses an area past the cap, telling to zoom in', () => {
    const herault: LonLatBox = [2.53, 43.2, 4.2, 43.98];
    const plan = planArea(herault, { minZoom: 9, maxZoom: 16 }, PLAN_IGN, plenty);
    expect(plan.refusal).toMatch(/Zone trop grande.*Zoomez/);
  });

  it('refuses what would not fit in storage, with a margin, and says how much is needed', () => {
    const tight = { usage: 0, quota: 20_000_000 + 13 * 25_000 };
    expect(fitsInStorage(13 * 25_000, tight)).toBe(false);
    expect(fitsInStorage(13 * 25_000, { usage: 0, quota: 20_000_000 + 13 * 25_000 * 1.25 })).toBe(true);
    const plan = planArea(VILLAGE, { minZoom: 14, maxZoom: 15 }, PLAN_IGN, tight);
    expect(plan.refusal).toMatch(/Pas assez d’espace.*0,3 Mo nécessaires, 20,3 Mo disponibles/);
    // Where the browser does not tell the quota, the download is not refused for it.
    expect(planArea(VILLAGE, { minZoom: 14, maxZoom: 15 }, PLAN_IGN, undefined).refusal).toBeUndefined();
  });

  it('offers two levels wider and two more detailed than the view by default, within the source and a size budget, and a name', () => {
    // The village seen at 14: from the commune (12) to its streets (16).
    expect(defaultZooms({ bbox: VILLAGE, zoom: 14 }, PLAN_IGN)).toEqual({ minZoom: 12, maxZoom: 16 });
    expect(defaultZooms({ bbox: VILLAGE, zoom: 13.6 }, PLAN_IGN)).toEqual({ minZoom: 12, maxZoom: 16 });
    // Capped by the source's range on either side.
    expect(defaultZooms({ bbox: VILLAGE, zoom: 14 }, { ...PLAN_IGN, maxZoom: 15 })).toEqual({ minZoom: 12, maxZoom: 15 });
    expect(defaultZooms({ bbox: VILLAGE, zoom: 1 }, { ...PLAN_IGN, minZoom: 2 })).toEqual({ minZoom: 2, maxZoom: 3 });
    // A wide view: the most detailed levels go first, to stay within the budget…
    const valley: LonLatBox = [3.4, 43.65, 3.7, 43.8];
    const zooms = defaultZooms({ bbox: valley, zoom: 12 }, PLAN_IGN, 2_000_000);
    expect(zooms.minZoom).toBe(10);
    expect(zooms.maxZoom).toBeLessThan(14);
    expect(countTiles(valley, zooms) * PLAN_IGN.averageTileBytes).toBeLessThanOrEqual(2_000_000);
    expect(countTiles(valley, { ...zooms, maxZoom: zooms.maxZoom + 1 }) * PLAN_IGN.averageTileBytes).toBeGreaterThan(2_000_000);
    // …but never below the view's own level.
    expect(defaultZooms({ bbox: valley, zoom: 12 }, PLAN_IGN, 1)).toEqual({ minZoom: 10, maxZoom: 12 });
    expect(defaultAreaName('Saint-Guilhem-le-Désert', new Date())).toBe('Saint-Guilhem-le-Désert');
    expect(defaultAreaName(undefined, new Date(2026, 4, 4))).toBe('Zone du 4 mai 2026');
  });

  it('names zoom levels in the agent’s words, not numbers alone', () => {
    expect(zoomWords(13)).toBe('Commune');
    expect(zoomWords(16)).toBe('Rues');
    expect(zoomChoiceLabel(16)).toBe('Rues (16)');
    for (let zoom = 0; zoom <= 19; zoom += 1) expect(zoomWords(zoom)).not.toMatch(/zoom/i);
  });
});
