import { readFileSync } from 'node:fs';
import { readCommuneFile } from '../../src/server/communes/commune-file.ts';
import { createCommunes, type Communes } from '../../src/server/communes/communes.ts';
import { loadCommunes, saveCommuneFile } from '../../src/server/communes/reference-data.ts';
import type { Store } from '../../src/server/storage/store.ts';

/** The commune outline fixtures (test/fixtures/README.md). */
export const HERAULT_OUTLINES = new URL('../fixtures/communes-34-herault.geojson', import.meta.url).pathname;
export const GARD_OUTLINES = new URL('../fixtures/communes-30-gard.geojson', import.meta.url).pathname;

/**
 * In Aigues-Mortes (30003, Gard), 4 km from La Grande-Motte's centre (34344, Hérault) and
 * 7 km from its own: the nearest centre is the neighbour's, and the simplified département
 * outline puts it in the Hérault too. Only the commune outlines get it right.
 */
export const AIGUES_MORTES_WEST = { lat: 43.58, lon: 4.1 };
export const CENTRES_NEAR_AIGUES_MORTES = [
  { code: '34344', lat: 43.5616, lon: 4.0849 }, // La Grande-Motte
  { code: '30003', lat: 43.5667, lon: 4.1928 }, // Aigues-Mortes
];

/** Loads outline files as `npm run communes -- import` does; answers the locator built from the database. */
export async function loadOutlineFiles(store: Store, ...files: string[]): Promise<Communes> {
  for (const file of files) {
    await saveCommuneFile(store, readCommuneFile(readFileSync(file, 'utf8'), createCommunes()), file, '2026-05-04T12:00:00.000Z');
  }
  return loadCommunes(store);
}
