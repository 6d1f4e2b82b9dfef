import { describe, expect, it } from 'vitest';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { cellAt, formatCellId } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { eventually } from './expect-locator.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

/**
 * Issue 18, part 1, on a reviewer's desk (1366×900): a zone blanche by measurement where
 * Orange's own map (as `npm run data -- import declared-coverage` leaves it in the store)
 * declares « très bonne couverture ». The layer « Écarts avec les cartes des opérateurs »
 * outlines the cell, and the zone's printable dossier states the contestation.
 */

const CELL = cellAt(POSITION.longitude, POSITION.latitude)!;
const CELL_ID = formatCellId(CELL);

async function seed(server: TestServer): Promise<void> {
  const [lon, lat] = cellCentre(CELL);
  const readings: Reading[] = OPERATORS.flatMap((operator) =>
    [0, 1, 2, 3, 4, 5].map((i) => ({
      id: crypto.randomUUID(),
      recordedAt: new Date(Date.now() - 30 * 86_400_000 + i * 60_000).toISOString(),
      lat,
      lon,
      accuracyM: 10,
      operator,
      technology: '4G' as const,
      signalBars: 0,
      setting: 'outdoor' as const,
      voice: 'failed' as const,
      source: 'import' as const,
    })),
  );
  await server.store.ingest(
    readings,
    readings.map(() => ({ accountId: null, commune: '34261', departement: '34', outsideCommunes: false })),
  );
  const kilometre = { north: Math.floor(CELL.north / 1000) * 1000, east: Math.floor(CELL.east / 1000) * 1000 };
  await server.store.replaceDeclaredCoverage(
    {
      departement: '34',
      operator: 'orange',
      technology: '4G',
      source: 'orange-4g-34.gpkg',
      editionDate: '2026-07-01',
      importedAt: new Date().toISOString(),
      polygons: 1,
      cells: { TBC: 1, BC: 0, CL: 0, none: 0 },
    },
    [
      { resolutionM: 200, north: CELL.north, east: CELL.east, level: 'TBC' },
      { resolutionM: 1000, ...kilometre, level: 'TBC' },
    ],
  );
}

describe('the operators’ declared coverage, confronted', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('outlines the contested cell on the « Écarts » layer, and the dossier states the contestation with the edition', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    await seed(server);
    const at = new Date().toISOString();
    const zone = {
      id: crypto.randomUUID(),
      departement: '34',
      name: 'Gorges du Verdus',
      cells: [CELL_ID],
      need: 'habitations' as const,
      communes: ['34261'],
      status: 'retenue' as const,
      createdAt: at,
      updatedAt: at,
    };
    await server.store.createZone(zone, { at, by: { id: reviewer.id, name: reviewer.name }, from: null, to: 'retenue', reason: 'Zone blanche mesurée' });

    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#couverture?view=16/${POSITION.latitude}/${POSITION.longitude}`, reviewer);
    await page.getByRole('checkbox', { name: 'Écarts avec les cartes des opérateurs' }).check();
    await eventually(() => page.locator('.discrepancy-layer').textContent()).toMatch(
      /1 maille \(contour violet\) où la carte d’un opérateur annonce une bonne ou très bonne couverture/,
    );
    await page.screenshot({ path: '/tmp/e2e-dist-F18-ecarts.png' });

    await page.goto(`${server.url}/#zones/${zone.id}/dossier`);
    const sentence = page.getByText(
      /carte de l’opérateur : bonne couverture sur 1 maille sur 1 \(dont très bonne sur 1\) ; mesures : pas de couverture sur la zone/,
    );
    await sentence.waitFor();
    expect(await sentence.textContent()).toContain('Carte 4G, édition du 01/07/2026 (orange-4g-34.gpkg).');
    await page.screenshot({ path: '/tmp/e2e-dist-F18-dossier.png', fullPage: true });
  });
});
