import { describe, expect, it } from 'vitest';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { cellAt, formatCellId } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { eventually } from './expect-locator.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

/**
 * Issue 18 on a reviewer's desk (1366×900): a département seeded as the data commands leave it
 * (readings, INSEE's population, a zone sent to the State; nothing imported by hand), the
 * zone's people on the list and in its dossier, then the move to « Arrêtée » with the arrêté's
 * date and the countdown that follows.
 */

const CELL = cellAt(POSITION.longitude, POSITION.latitude)!;
const CELL_ID = formatCellId(CELL);

/** Four readings per operator, none covering: a zone blanche. */
async function seedZoneBlanche(server: TestServer): Promise<void> {
  const [lon, lat] = cellCentre(CELL);
  const readings: Reading[] = OPERATORS.flatMap((operator) =>
    [0, 1, 2, 3].map((i) => ({
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
  const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
  await server.store.ingest(readings, readings.map(() => place));
}

/** A day `days` before today, YYYY-MM-DD (UTC: ten days back, Paris and UTC agree on the month count). */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe('after the arrêté, on the reviewer’s desk', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('shows the people affected on the zone and its dossier, and after the move to « Arrêtée » with its date, the countdown', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    await seedZoneBlanche(server);
    await server.store.importPopulation([{ north: CELL.north, east: CELL.east, inhabitants: 1240, households: 530, dwellings: 610, edition: '2019' }]);
    await server.store.importPointsOfInterest('poi.csv', [{ name: 'Mairie de Saint-Guilhem', kind: 'mairie', lat: POSITION.latitude, lon: POSITION.longitude, north: CELL.north, east: CELL.east }]);
    const at = new Date().toISOString();
    const zone = { id: crypto.randomUUID(), departement: '34', name: 'Gorges du Verdus', cells: [CELL_ID], need: 'habitations' as const, communes: ['34261'], status: 'transmise' as const, createdAt: at, updatedAt: at };
    await server.store.createZone(zone, { at, by: { id: reviewer.id, name: reviewer.name }, from: null, to: 'transmise', reason: 'Dossier transmis à la préfecture' });

    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#zones`, reviewer);
    const item = page.getByRole('listitem', { name: 'Gorges du Verdus' });
    await eventually(() => item.textContent()).toMatch(/1\s240 habitants, 530 ménages, 610 logements dans la zone \(INSEE, carroyage 200 m, édition 2019\)/);
    await item.getByText('Points d’intérêt à couvrir : Mairie de Saint-Guilhem (mairie)').waitFor();

    await item.getByRole('button', { name: 'Passer à « Arrêtée »' }).click();
    await item.getByLabel('Raison du passage à « Arrêtée »').fill('Arrêté publié au Journal officiel');
    await item.getByLabel('Date de l’arrêté').fill(daysAgo(10));
    await item.getByRole('button', { name: 'Confirmer' }).click();
    await item.getByText(/^Échéance dans 23 mois \(le /).waitFor();
    expect(await item.getAttribute('data-status')).toBe('arretee');
    await page.screenshot({ path: '/tmp/e2e-dist-G18-zones.png', fullPage: true });

    await item.getByRole('link', { name: 'Page imprimable' }).click();
    const sheet = page.locator('.dossier-sheet');
    await sheet.getByText(/1\s240 habitants, 530 ménages, 610 logements dans la zone/).waitFor();
    await sheet.getByText('Mairie de Saint-Guilhem (mairie)').waitFor();
    await sheet.getByText(/^Échéance dans 23 mois/).waitFor();
    await page.screenshot({ path: '/tmp/e2e-dist-G18-dossier.png', fullPage: true });
  });
});
