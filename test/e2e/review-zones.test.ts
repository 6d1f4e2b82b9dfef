import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { createUser, openSignedIn, POSITION, recordReading, syncBar, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** The 200 m cell the mocked phone stands in. */
const CELL = cellIdAt(POSITION.longitude, POSITION.latitude)!;
const OPERATORS = ['Orange', 'SFR', 'Bouygues Telecom', 'Free Mobile'];
/** Close enough for the 200 m grid, centred on the phone's position. */
const VIEW = `view=16/${POSITION.latitude}/${POSITION.longitude}`;

/**
 * Four readings per operator where the phone stands: only Orange covers it (zone grise). Four,
 * since three alike are across 50 % at 95 % and decide nothing (interval rule, issue 17).
 */
async function surveyZoneGrise(page: Page): Promise<void> {
  for (const operator of OPERATORS) {
    for (let i = 0; i < 4; i++) await recordReading(page, { operator, bars: operator === 'Orange' ? '4' : '1' });
  }
}

/** The centre of the map, where the phone's position is drawn. */
async function mapCentre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = (await page.locator(selector).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function downloaded(page: Page, link: ReturnType<Page['getByRole']>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

describe('review: from an agent’s readings to a zone, its workflow and its dossier', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  let closePhone: ServerWithPhones['close'];
  useServerWithPhones((given) => ({ server, launch, close: closePhone } = given));

  it('a reviewer sees the cells, makes a zone, moves it to « Transmise », downloads and prints its dossier; another reviewer sees it', async () => {
    const agent = await createUser(server);
    const reviewer = await createUser(server, { role: 'reviewer' });
    const colleague = await createUser(server, { role: 'reviewer', email: 'collegue@couverture.test', name: 'Claude Collègue' });

    // The agent surveys online: 16 readings reach the server, which keeps its grid up to date.
    const agentPhone = await launch();
    const field = await openSignedIn(agentPhone.context, server.url, agent);
    await surveyZoneGrise(field);
    await syncBar(field).getByText('Aucun relevé en attente').waitFor();
    expect(await server.storedReadings()).toHaveLength(16);
    await closePhone(agentPhone);

    // The reviewer, at a desk, opens « Couverture » on the phone's valley.
    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#couverture?${VIEW}`, reviewer);
    await page.getByRole('heading', { name: 'Couverture (département 34)' }).waitFor();
    await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
    const legend = page.getByRole('list', { name: 'Légende des mailles' });
    await legend.getByText('Zone grise (un seul opérateur) : 1').waitFor();
    await legend.getByText('Zone blanche (aucun opérateur en bonne couverture) : 0').waitFor();

    // A click on the cell opens its panel: per-operator figures and its readings.
    const centre = await mapCentre(page, '.coverage-map');
    await page.mouse.click(centre.x, centre.y);
    await page.getByRole('heading', { name: `Saint-Guilhem-le-Désert — maille 200 m n° ${CELL}` }).waitFor();
    const stats = page.getByRole('table', { name: 'Statistiques par opérateur' });
    await eventually(() => stats.getByRole('row', { name: /Orange/ }).textContent()).toMatch(/^OrangeTBC4 \(1\)100 \/ 0 \/ 0 \/ 0 %/);
    await eventually(() => stats.getByRole('row', { name: /SFR/ }).textContent()).toMatch(/^SFRCL4 \(1\)0 \/ 0 \/ 100 \/ 0 %/);
    // The share each verdict rests on, with its 95 % interval (issue 17).
    const figures = page.getByRole('definition').filter({ hasText: 'relevés en BC ou mieux' });
    await figures.getByText('relevés en BC ou mieux : 100 % [51–100 %] sur 4 relevés — au-dessus du seuil : couvre').waitFor();
    await figures.getByText('relevés en BC ou mieux : 0 % [0–49 %] sur 4 relevés — au-dessous du seuil : ne couvre pas').first().waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Relevés de la maille' }).getByRole('listitem').count()).toBe(16);

    // Selecting: a click toggles the cell in and out; a shift-drag rectangle adds it.
    await page.getByText('La sélectionne', { exact: true }).click();
    await page.mouse.click(centre.x, centre.y);
    await page.getByText('1 maille sélectionnée : 0 blanche, 1 grise, 0 couverte, 0 sans verdict').waitFor();
    await page.mouse.click(centre.x, centre.y);
    await page.getByText('Choisissez « La sélectionne »').waitFor();
    await page.keyboard.down('Shift');
    await page.mouse.move(centre.x - 160, centre.y - 160);
    await page.mouse.down();
    await page.mouse.move(centre.x + 160, centre.y + 160, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await page.getByText('1 maille sélectionnée : 0 blanche, 1 grise').waitFor();

    // « Créer une zone »: name, need (« Autre » asks which), notes.
    await page.getByRole('button', { name: 'Créer une zone' }).click();
    const form = page.getByRole('form', { name: 'Créer une zone' });
    await form.getByLabel('Nom de la zone').fill('Vallée du Verdus');
    await form.getByLabel('Besoin').selectOption('autre');
    await form.getByRole('button', { name: 'Créer la zone (1 maille)' }).click();
    await form.getByRole('alert').filter({ hasText: 'Précisez le besoin.' }).waitFor();
    await form.getByLabel('Quel besoin ?').fill('Camping municipal');
    await form.getByLabel('Notes').fill('Appels impossibles sauf Orange.');
    await form.getByRole('button', { name: 'Créer la zone (1 maille)' }).click();
    await page.getByRole('status').filter({ hasText: 'Zone « Vallée du Verdus » créée (À étudier, communes 34261)' }).waitFor();
    await legend.getByText('Zone en cours (1 dans la vue)').waitFor();
    // Its cell is filed: the server's suggestion for it is gone (test/e2e/reviewer-screens.test.ts files one).
    await page.getByText('Aucune zone blanche ou grise dans la vue.').waitFor();

    // Filters survive a reload, through the link.
    await page.getByLabel('Technologie').selectOption('4G');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('technology=4G');
    await page.reload();
    await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
    await eventually(() => page.getByLabel('Technologie').inputValue()).toBe('4G');

    // « Zones »: the workflow, each step with its reason.
    await page.getByRole('link', { name: 'Zones', exact: true }).click();
    const zone = page.getByRole('listitem', { name: 'Vallée du Verdus' });
    await zone.getByText('À étudier', { exact: true }).waitFor();
    await zone.getByText(/Autre : Camping municipal · 1 maille · communes 34261/).waitFor();
    await eventually(() => zone.getByRole('button', { name: /Passer à « Transmise »/ }).count()).toBe(0);
    for (const [step, key, reason] of [
      ['Retenue', 'retenue', 'Habitations et camping sans réseau'],
      ['Transmise', 'transmise', 'Envoyée à la préfecture le 12 mai'],
    ] as const) {
      await zone.getByRole('button', { name: `Passer à « ${step} »` }).click();
      await zone.getByRole('button', { name: 'Confirmer' }).click();
      await zone.getByRole('alert').filter({ hasText: 'Dites pourquoi' }).waitFor();
      await zone.getByLabel(`Raison du passage à « ${step} »`).fill(reason);
      await zone.getByRole('button', { name: 'Confirmer' }).click();
      await page.locator(`li.zone-item[aria-label="Vallée du Verdus"][data-status="${key}"]`).waitFor();
    }
    await zone.getByText('Transmise', { exact: true }).waitFor();
    await zone.getByText('Historique (3)').click();
    const history = zone.getByRole('list', { name: 'Historique de Vallée du Verdus' });
    await history.getByText(/À étudier → Retenue — « Habitations et camping sans réseau »/).waitFor();
    await history.getByText(/Retenue → Transmise — « Envoyée à la préfecture le 12 mai »/).waitFor();
    await eventually(() => history.textContent()).toContain(reviewer.name);

    // Dossier files, checked for content.
    const geojson = await downloaded(page, zone.getByRole('link', { name: 'Dossier (GeoJSON)' }));
    expect(geojson.name).toMatch(/\.geojson$/);
    const dossier = JSON.parse(geojson.text) as { type: string; features: { properties: Record<string, unknown> }[] };
    expect(dossier.type).toBe('FeatureCollection');
    expect(geojson.text).toContain(CELL);
    expect(geojson.text).toContain('Vallée du Verdus');
    expect(geojson.text).not.toContain(agent.email);
    expect(geojson.text).not.toContain(agent.name);

    const csv = await downloaded(page, zone.getByRole('link', { name: 'Relevés (CSV)' }));
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/^id,recorded_at,lat,lon/);
    expect(lines).toHaveLength(17);
    expect(lines.filter((line) => line.includes(',orange,'))).toHaveLength(4);
    expect(csv.text).not.toContain(agent.email);

    const zonesCsv = await downloaded(page, page.getByRole('link', { name: 'Liste des zones (CSV)' }));
    expect(zonesCsv.text).toContain('Vallée du Verdus');
    expect(zonesCsv.text).toContain('transmise');
    const zonesGeojson = await downloaded(page, page.getByRole('link', { name: 'Liste des zones (GeoJSON)' }));
    expect((JSON.parse(zonesGeojson.text) as { features: unknown[] }).features).toHaveLength(1);

    // The printable page: one A4 sheet, « Imprimer » prints.
    await zone.getByRole('link', { name: 'Page imprimable' }).click();
    const sheet = page.getByRole('article', { name: 'Vallée du Verdus' });
    await sheet.getByText('Transmise', { exact: true }).waitFor();
    await expect(page.evaluate(() => location.hash)).resolves.toMatch(/^#zones\/[^/]+\/dossier$/);
    await eventually(() =>
      sheet
        .getByRole('table', { name: 'Par opérateur' })
        .getByRole('row', { name: /Orange/ })
        .textContent(),
    ).toContain('TBC');
    await sheet.getByText('Contributeurs distincts').waitFor();
    await eventually(() => sheet.locator('.dossier-facts').textContent()).toMatch(/Relevés16Contributeurs distincts1/);
    await sheet.getByRole('table', { name: 'Essais d’appel' }).waitFor();
    await sheet.locator('.dossier-map path.leaflet-interactive, .dossier-map path').first().waitFor();
    await page.evaluate(() => {
      window.print = () => document.body.setAttribute('data-printed', 'yes');
    });
    await page.getByRole('button', { name: 'Imprimer' }).click();
    await eventually(() => page.locator('body').getAttribute('data-printed')).toBe('yes');
    await page.emulateMedia({ media: 'print' });
    await eventually(() => page.locator('.app-header').isVisible()).toBe(false);
    await eventually(() => page.getByRole('button', { name: 'Imprimer' }).isVisible()).toBe(false);
    await eventually(() => sheet.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // Another reviewer of the département, in another browser, sees the same zone at the same step.
    const otherDesk = await launch({ desktop: true });
    const other = await openSignedIn(otherDesk.context, `${server.url}/#zones`, colleague);
    const seen = other.getByRole('listitem', { name: 'Vallée du Verdus' });
    await seen.getByText('Transmise', { exact: true }).waitFor();
    await seen.getByRole('button', { name: 'Passer à « Arrêtée »' }).waitFor();
  });

  it('an agent sees « Mes mailles » from the readings on the phone, offline', async () => {
    const agent = await createUser(server);
    const phone = await launch();
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    await surveyZoneGrise(page);
    await page.getByRole('link', { name: 'Carte' }).click();
    await page.getByLabel(/Mes mailles/).check();
    const legend = page.getByRole('list', { name: 'Légende de mes mailles' });
    await legend.getByText('Zone grise (un seul opérateur) : 1 maille').waitFor();
    await legend.getByText('Mesures insuffisantes : 0 maille').waitFor();
    expect(await server.storedReadings()).toHaveLength(0);

    // Still on after a reload without network, and it follows new readings.
    await page.reload();
    await page.getByRole('link', { name: 'Relevé', exact: true }).waitFor();
    // Four more SFR readings at 4 bars: SFR is half CL, half TBC, across 50 % whatever the
    // count: the cell is undecided again (the interval rule), no longer a zone grise.
    for (let i = 0; i < 4; i++) await recordReading(page, { operator: 'SFR', bars: '4' });
    await page.getByRole('link', { name: 'Carte' }).click();
    await eventually(() => page.getByLabel(/Mes mailles/).isChecked()).toBe(true);
    await legend.getByText('Mesures insuffisantes : 1 maille').waitFor();
    await legend.getByText('Zone grise (un seul opérateur) : 0 maille').waitFor();
    await page.getByText('Hors ligne : seuls les relevés de cet appareil sont affichés.').waitFor();
  });
});
