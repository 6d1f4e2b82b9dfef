import { parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import type { CommuneFile } from './commune-file.ts';
import { createCommunes, type Centre, type Communes, type LoadedOutline } from './communes.ts';
import { DEPARTEMENT_OUTLINES_ATTRIBUTION } from './departement-outlines.ts';
import type { NewPlace, ReplaceCounts, StoredPlace } from '../storage/place-store.ts';
import type { Store } from '../storage/store.ts';

/**
 * Commune reference data between the database and the locator: building the locator from
 * what `npm run communes` loaded, placing stored readings and reports again after a load,
 * and saying what is loaded (start-up log, `status`).
 */

/** The locator from the shapes in the database, with the generation (latest import) they make. */
export async function loadCommunes(store: Store): Promise<Communes> {
  const [shapes, generation] = await Promise.all([store.communeShapes(), store.referenceGeneration()]);
  const outlines: LoadedOutline[] = [];
  const centres: Centre[] = [];
  for (const shape of shapes) {
    const geometry = JSON.parse(shape.geometry) as LoadedOutline['geometry'] | { type: 'Point'; coordinates: [number, number] };
    if (geometry.type === 'Point') centres.push({ code: shape.commune, lon: geometry.coordinates[0], lat: geometry.coordinates[1] });
    else outlines.push({ commune: shape.commune, geometry });
  }
  return createCommunes(centres, outlines, generation);
}

/** Stores a file read by readCommuneFile, in one transaction; answers the new generation. */
export async function saveCommuneFile(store: Store, file: CommuneFile, source: string, loadedAt: string): Promise<number> {
  return store.replaceCommuneShapes({ kind: file.kind, source, departements: file.departements, count: file.shapes.length, loadedAt }, file.shapes);
}

export interface PlacedAgain extends ReplaceCounts {
  /** Zones whose communes changed. */
  zones: number;
}

/**
 * Places again the readings and reports placed with older data than `communes`, then
 * recomputes the communes of every zone when any changed. Several processes may run it at once.
 */
export async function placeStoredAgain(store: Store, communes: Communes): Promise<PlacedAgain> {
  const agents = new Map((await store.listUsers()).filter((u) => u.role === 'agent').map((u) => [u.id, u.communes]));
  const counts = await store.placeAgain(communes.generation, (stored) => newPlace(stored, communes, agents));
  let zones = 0;
  if (counts.readings > 0) {
    for (const zone of await store.listZones()) {
      const refs = zone.cells.map(parseCellId).filter((cell): cell is CellRef => cell !== undefined);
      // As routes/zones.ts: its cells' communes of its own département only.
      const found = (await store.communesInCells(refs)).filter((code) => communes.get(code)?.departement === zone.departement);
      if (found.join(' ') === zone.communes.join(' ')) continue;
      // Not a reviewer's change: updatedAt stays.
      await store.updateZone(zone.id, { communes: found, updatedAt: zone.updatedAt });
      zones += 1;
    }
  }
  return { ...counts, zones };
}

/**
 * Where a stored reading or report lies by the current data; null keeps it as it is (the
 * point is at sea, abroad, or overseas without data). A commune found by the nearest centre
 * is kept while its département has neither outlines nor centres: an approximate commune
 * (flagged `centre`) beats none.
 */
export function newPlace(stored: StoredPlace, communes: Communes, agents: ReadonlyMap<string, readonly string[]>): NewPlace | null {
  const place = communes.locate(stored.lat, stored.lon);
  if (!place) return null;
  let { commune, placement } = place;
  const { departement } = place;
  const hasData = communes.reference.outlines.has(departement) || communes.reference.centres.has(departement);
  if (commune === null && !hasData && stored.commune !== null && stored.placement === 'centre' && stored.departement === departement) {
    commune = stored.commune;
    placement = 'centre';
  }
  let outsideCommunes = stored.outsideCommunes;
  if (commune !== stored.commune) {
    const own = stored.accountId === null ? undefined : agents.get(stored.accountId);
    outsideCommunes = own !== undefined && commune !== null && !own.includes(commune);
  }
  return { commune, departement, placement, outsideCommunes };
}

/** What the locator holds, in French, for the start-up log and `npm run communes -- status`. */
export function describeReference(communes: Communes): string[] {
  const { departementOutlines, outlines, centres } = communes.reference;
  const byDepartement = (counts: ReadonlyMap<string, number>) =>
    [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([d, n]) => `${n} (${d})`)
      .join(', ');
  const lines = [`Contours des départements : ${departementOutlines} (${DEPARTEMENT_OUTLINES_ATTRIBUTION}).`];
  const outlinePart = outlines.size > 0 ? `contours ${byDepartement(outlines)}` : 'aucun contour';
  const centrePart = centres.size > 0 ? `centres ${byDepartement(centres)}` : 'aucun centre';
  lines.push(`Communes : ${outlinePart} ; ${centrePart}.`);
  if (outlines.size === 0) {
    lines.push(
      `Sans contours de communes, relevés et signalements n’ont que leur département${centres.size > 0 ? ' (ou une commune approchée par le centre le plus proche, là où des centres sont chargés)' : ''}. ` +
        'Pour les charger : npm run communes -- fetch --departement NN (ou import FICHIER).',
    );
  } else {
    lines.push('Pour les autres départements : npm run communes -- fetch --departement NN.');
  }
  return lines;
}
