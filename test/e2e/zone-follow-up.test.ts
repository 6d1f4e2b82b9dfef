import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { cellAt, formatCellId } from '../../src/domain/grid/cell-id.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { importDeclaredCoverage } from '../../src/server/data-import/declared-coverage.ts';
import { importPointsOfInterest } from '../../src/server/data-import/poi.ts';
import { importPopulation } from '../../src/server/data-import/population.ts';
import { writeGeoPackage } from '../server/declared-coverage-files.ts';
import { useTempDir } from '../server/fixtures.ts';
import { eventually } from './expect-locator.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

/**
 * Issue 18's « Done when » on a reviewer's desk (1366×900), in one flow: a département seeded
 * as the data commands leave it (readings; Orange's declared map, a GeoPackage in Lambert-93
 * through the declared-coverage importer; INSEE's population and points of interest through
 * theirs; a zone sent to the State), nothing imported by hand in the page. The reviewer sees
 * the zone's people on the list, reads in its dossier the contestation of Orange's map and the
 * people affected, moves it to « Arrêtée » with the arrêté's date, sees the countdown, and
 * finds the zone with its people and its discrepancy on the « Tableau de bord ».
 */

const CELL = cellAt(POSITION.longitude, POSITION.latitude)!;
const CELL_ID = formatCellId(CELL);
const tempDir = useTempDir();

/**
 * Six readings per operator, none covering: a zone blanche whose verdict is « pas de
 * couverture » with its Wilson interval clear of 50 % (enough evidence to contest a map).
 */
async function seedZoneBlanche(server: TestServer): Promise<void> {
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
  const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
  await server.store.ingest(
    readings,
    readings.map(() => place),
  );
}

/** Orange's 4G map of the Hérault: « Bonne couverture » over the 3 × 3 cells around the zone's. */
async function seedOrangeMap(server: TestServer): Promise<void> {
  const file = join(tempDir(), 'orange-4g-34.gpkg');
  const { east, north } = CELL;
  writeGeoPackage(file, [
    {
      rect: [east - 200, north - 200, east + 400, north + 400],
      properties: { operateur: 20801, techno: '4G', date: '2026-07-01', dept: '34', niveau: 'Bonne couverture' },
    },
  ]);
  await importDeclaredCoverage([file], server.store, new Date());
}

/** INSEE's 200 m grid (Filosofi's spelling, dwellings by construction period) and a mairie in the cell. */
async function seedPeople(server: TestServer): Promise<void> {
  const population = join(tempDir(), 'Filosofi2019_carreaux_200m.csv');
  await writeFile(population, `Idcar_200m;Ind;Men;Log_av45;Log_45_70;Log_70_90;Log_ap90;Log_inc\n${CELL_ID};1240;530;200;150;100;150;10\n`);
  await importPopulation([population], server.store);
  const poi = join(tempDir(), 'poi.csv');
  await writeFile(poi, `name;kind;lat;lon\nMairie de Saint-Guilhem;mairie;${POSITION.latitude};${POSITION.longitude}\n`);
  await importPointsOfInterest([poi], server.store);
}

/** A day `days` before today, YYYY-MM-DD (UTC: ten days back, Paris and UTC agree on the month count). */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

const PEOPLE = /1\s240 habitants, 530 ménages, 610 logements dans la zone/;
const CONTESTATION =
  /carte de l’opérateur : bonne couverture sur 1 maille sur 1 ; mesures : pas de couverture sur la zone, 1 maille en écart avec la carte\. Carte 4G, édition du 01\/07\/2026 \(orange-4g-34\.gpkg\)\./;

describe('a seeded département on the reviewer’s desk, from the dossier to the arrêté', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('shows the zone’s people, its dossier’s contestation of Orange’s map, the countdown after « Arrêtée », and the zone on the « Tableau de bord »', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    await seedZoneBlanche(server);
    await seedOrangeMap(server);
    await seedPeople(server);
    const at = new Date().toISOString();
    const zone = {
      id: crypto.randomUUID(),
      departement: '34',
      name: 'Gorges du Verdus',
      cells: [CELL_ID],
      need: 'habitations' as const,
      communes: ['34261'],
      status: 'transmise' as const,
      createdAt: at,
      updatedAt: at,
    };
    await server.store.createZone(zone, {
      at,
      by: { id: reviewer.id, name: reviewer.name },
      from: null,
      to: 'transmise',
      reason: 'Dossier transmis à la préfecture',
    });

    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#zones`, reviewer);
    const item = page.getByRole('listitem', { name: 'Gorges du Verdus' });
    await eventually(() => item.textContent()).toMatch(/1\s240 habitants, 530 ménages, 610 logements dans la zone \(INSEE, carroyage 200 m, édition 2019\)/);
    await item.getByText('Points d’intérêt à couvrir : Mairie de Saint-Guilhem (mairie)').waitFor();

    await item.getByRole('link', { name: 'Page imprimable' }).click();
    const sheet = page.locator('.dossier-sheet');
    await sheet.getByText(CONTESTATION).waitFor();
    await sheet.getByText(PEOPLE).waitFor();
    await sheet.getByText('Mairie de Saint-Guilhem (mairie)').waitFor();
    await page.screenshot({ path: '/tmp/e2e-dist-M18-dossier.png', fullPage: true });

    await page.goBack();
    await item.getByRole('button', { name: 'Passer à « Arrêtée »' }).click();
    await item.getByLabel('Raison du passage à « Arrêtée »').fill('Arrêté publié au Journal officiel');
    await item.getByLabel('Date de l’arrêté').fill(daysAgo(10));
    await item.getByRole('button', { name: 'Confirmer' }).click();
    await item.getByText(/^Échéance dans 23 mois \(le /).waitFor();
    expect(await item.getAttribute('data-status')).toBe('arretee');
    await page.screenshot({ path: '/tmp/e2e-dist-M18-zones.png', fullPage: true });

    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    const row = page.getByRole('region', { name: 'Zones par étape' }).getByRole('row', { name: /Gorges du Verdus/ });
    await eventually(() => row.textContent()).toMatch(/Arrêtée.*1\s240.*530.*Orange : 1 maille/s);
    const deadline = page.getByRole('region', { name: 'Échéances des zones arrêtées' }).getByRole('listitem').filter({ hasText: 'Gorges du Verdus' });
    expect(await deadline.textContent()).toMatch(/échéance le .*, dans 23 mois/);
    await page.screenshot({ path: '/tmp/e2e-dist-M18-tableau.png', fullPage: true });

    // The table's line opens the dossier, which now carries the countdown beside the contestation.
    await deadline.getByRole('link', { name: 'Gorges du Verdus' }).click();
    await sheet.getByText(/^Échéance dans 23 mois/).waitFor();
    await sheet.getByText(CONTESTATION).waitFor();
    await sheet.getByText(PEOPLE).waitFor();
  });
});
