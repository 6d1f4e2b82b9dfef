import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/campaign.ts';
import { cellCentre } from '../../src/domain/grid/cell-geometry.ts';
import { cellIdAt, formatCellId } from '../../src/domain/grid/cell-id.ts';
import { createCommuneOutlines } from '../../src/server/communes/outlines.ts';
import { cellsInOutline, type OutlineGeometry } from '../../src/worker/cells-to-survey.ts';
import { createUser, launchPhone, openSignedIn, POSITION, recordReading, startServer, syncBar, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

const CAMPAIGN_NAME = 'Campagne Saint-Guilhem-le-Désert';

/** Metres per degree of latitude, and of longitude at the phone's latitude. */
const M_PER_LAT = 111_320;
const M_PER_LON = M_PER_LAT * Math.cos((POSITION.latitude * Math.PI) / 180);

/** A square of 600 m × 600 m centred on the phone: Saint-Guilhem-le-Désert in miniature, a handful of 200 m cells. */
const HALF_SIDE_M = 300;
const OUTLINE: OutlineGeometry = (() => {
  const dLat = HALF_SIDE_M / M_PER_LAT;
  const dLon = HALF_SIDE_M / M_PER_LON;
  const { latitude: lat, longitude: lon } = POSITION;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon - dLon, lat - dLat],
        [lon + dLon, lat - dLat],
        [lon + dLon, lat + dLat],
        [lon - dLon, lat + dLat],
        [lon - dLon, lat - dLat],
      ],
    ],
  };
})();

/** What the worker will count: the cells whose centre lies in the square. */
const CELLS = cellsInOutline(OUTLINE);
const POSITION_CELL = cellIdAt(POSITION.longitude, POSITION.latitude)!;
/** A cell of the commune other than the one the agent stands in: it stays to survey. */
const [OTHER_LON, OTHER_LAT] = cellCentre(CELLS.find((cell) => formatCellId(cell) !== POSITION_CELL)!);

function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return Math.hypot((a.lat - b.lat) * M_PER_LAT, (a.lon - b.lon) * M_PER_LON);
}

const near = (lat: number, lon: number) => ({ lat, lon });
const HERE = near(POSITION.latitude, POSITION.longitude);

interface MapReading {
  /** The geographic point under the middle of the map, as the base map's tiles place it. */
  centre: { lat: number; lon: number };
  zoom: number;
  /** Opacity (0–255) of the « Mailles encore à parcourir » shading at each point asked, -1 when not drawn. */
  surveyAlpha: number[];
  /** Pixels of the commune outline's purple (#6a1b9a) on the map's vector canvas. */
  outlinePixels: number;
}

/**
 * Reads what the map shows, without any hook in the app: Leaflet draws vectors on canvases
 * (preferCanvas), so the commune outline and the shading are read from their pixels, and the
 * view from where the base map's tiles sit on screen (each tile's z/x/y is in its URL).
 */
function readMap(page: Page, points: { lat: number; lon: number }[] = []): Promise<MapReading | undefined> {
  return page.evaluate((points) => {
    const tiles = [...document.querySelectorAll<HTMLImageElement>('.leaflet-tile-pane img.leaflet-tile')]
      .map((img) => ({ img, match: /\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(img.src) }))
      .filter((tile) => tile.match !== null)
      .map(({ img, match }) => ({ rect: img.getBoundingClientRect(), z: Number(match![1]), x: Number(match![2]), y: Number(match![3]) }))
      .filter(({ rect }) => rect.width > 0);
    if (tiles.length === 0) return undefined;
    // The current zoom's tiles (a zoom animation leaves the previous level's for a moment).
    const tile = tiles.reduce((best, candidate) => (candidate.z > best.z ? candidate : best));
    const world = 256 * 2 ** tile.z;
    const scale = tile.rect.width / 256;
    const toScreen = (lat: number, lon: number) => {
      const sin = Math.sin((lat * Math.PI) / 180);
      const gx = ((lon + 180) / 360) * world;
      const gy = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * world;
      return { x: tile.rect.left + (gx - tile.x * 256) * scale, y: tile.rect.top + (gy - tile.y * 256) * scale };
    };
    const mapRect = document.querySelector('.leaflet-container')!.getBoundingClientRect();
    const gx = tile.x * 256 + (mapRect.left + mapRect.width / 2 - tile.rect.left) / scale;
    const gy = tile.y * 256 + (mapRect.top + mapRect.height / 2 - tile.rect.top) / scale;
    const centre = {
      lon: (gx / world) * 360 - 180,
      lat: (Math.atan(Math.sinh(Math.PI * (1 - (2 * gy) / world))) * 180) / Math.PI,
    };

    const pixels = (canvas: HTMLCanvasElement | null) => {
      if (!canvas || canvas.width === 0 || canvas.height === 0) return undefined;
      const rect = canvas.getBoundingClientRect();
      return { canvas, rect, data: canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data };
    };
    const survey = pixels(document.querySelector<HTMLCanvasElement>('.leaflet-survey-pane canvas'));
    const surveyAlpha = points.map(({ lat, lon }) => {
      if (!survey) return -1;
      const at = toScreen(lat, lon);
      const px = Math.floor(((at.x - survey.rect.left) * survey.canvas.width) / survey.rect.width);
      const py = Math.floor(((at.y - survey.rect.top) * survey.canvas.height) / survey.rect.height);
      if (px < 0 || py < 0 || px >= survey.canvas.width || py >= survey.canvas.height) return -1;
      return survey.data[(py * survey.canvas.width + px) * 4 + 3]!;
    });
    let outlinePixels = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('.leaflet-overlay-pane canvas')) {
      const overlay = pixels(canvas);
      if (!overlay) continue;
      const { data } = overlay;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! > 128 && Math.abs(data[i]! - 0x6a) < 30 && Math.abs(data[i + 1]! - 0x1b) < 30 && Math.abs(data[i + 2]! - 0x9a) < 30)
          outlinePixels += 1;
      }
    }
    return { centre, zoom: tile.z, surveyAlpha, outlinePixels };
  }, points);
}

async function mapCentre(page: Page): Promise<{ lat: number; lon: number }> {
  const reading = await readMap(page);
  return reading?.centre ?? { lat: 0, lon: 0 };
}

function todayPlus(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('the map around the agent: the campaign’s commune, the cells still to survey, following the position', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  beforeEach(async () => {
    server = await startServer({
      communeOutlines: createCommuneOutlines([{ type: 'Feature', geometry: OUTLINE, properties: { code: '34261', nom: 'Saint-Guilhem-le-Désert' } }]),
    });
    phone = await launchPhone();
    agent = await createUser(server);
    const at = new Date().toISOString();
    const campaign: Campaign = {
      id: crypto.randomUUID(),
      name: CAMPAIGN_NAME,
      communeInsee: '34261',
      communeName: 'Saint-Guilhem-le-Désert',
      departement: '34',
      startsOn: todayPlus(-7),
      endsOn: todayPlus(30),
      operators: ['orange', 'sfr', 'bouygues', 'free'],
      protocol: 'map-check',
      maxAccuracyM: 50,
      accuracyRule: 'warn',
      agentIds: [agent.id],
      createdBy: agent.id,
      createdAt: at,
      updatedAt: at,
    };
    await server.store.createCampaign(campaign);
  });

  afterEach(async () => {
    const cspViolations = [...phone.cspViolations];
    await phone.close();
    await server.close();
    expect(cspViolations).toEqual([]);
  });

  it('draws the commune’s outline and counts the cells to survey, one fewer after a reading, offline too', async () => {
    // The square holds a handful of cells, the agent's among them.
    expect(CELLS.length).toBeGreaterThanOrEqual(4);
    expect(CELLS.length).toBeLessThanOrEqual(16);
    expect(CELLS.map(formatCellId)).toContain(POSITION_CELL);
    const total = CELLS.length;
    const legend = (page: Page) => page.getByRole('list', { name: 'Légende' });

    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Campagnes', exact: true }).click();
    const item = page.getByRole('list', { name: 'Campagnes' }).getByRole('listitem', { name: CAMPAIGN_NAME });
    await item.getByRole('button', { name: 'Choisir cette campagne' }).click();
    await item.getByText('✓ Campagne de cet appareil').waitFor();

    await page.getByRole('link', { name: 'Carte', exact: true }).click();
    await legend(page).getByText(`Mailles encore à parcourir : ${total} sur ${total}`).waitFor();
    // The commune framed in one tap, as the agent does before « Préparer hors ligne ».
    await page.getByRole('button', { name: 'Cadrer sur Saint-Guilhem-le-Désert' }).click();
    await expect
      .poll(
        async () => {
          const map = await readMap(page);
          return map && { framed: map.zoom >= 14 && map.zoom <= 17, centred: metresBetween(map.centre, HERE) < 60 };
        },
        { message: 'the map frames the commune’s outline' },
      )
      .toEqual({ framed: true, centred: true });
    // Close enough to see the commune: « Me suivre » centres on the agent at street level.
    await page.getByRole('button', { name: 'Me suivre' }).click();
    await expect
      .poll(
        async () => {
          const map = await readMap(page, [HERE, near(OTHER_LAT, OTHER_LON)]);
          return (
            map && {
              zoom: map.zoom,
              centred: metresBetween(map.centre, HERE) < 15,
              outlineDrawn: map.outlinePixels > 200,
              shadedHere: map.surveyAlpha[0]! > 0,
              shadedThere: map.surveyAlpha[1]! > 0,
            }
          );
        },
        { message: 'the outline and the shading of every cell, around the agent', timeout: 15_000 },
      )
      .toEqual({ zoom: 16, centred: true, outlineDrawn: true, shadedHere: true, shadedThere: true });
    await eventually(() => page.locator('.outline-notice').count()).toBe(0);

    // A reading where the agent stands: that cell is no longer to survey, the others still are.
    await recordReading(page);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    await page.getByRole('link', { name: 'Carte', exact: true }).click();
    await legend(page)
      .getByText(`Mailles encore à parcourir : ${total - 1} sur ${total}`)
      .waitFor();
    await expect
      .poll(
        async () => {
          const map = await readMap(page, [HERE, near(OTHER_LAT, OTHER_LON)]);
          return (
            map && {
              zoom: map.zoom,
              centred: metresBetween(map.centre, HERE) < 15,
              outlineDrawn: map.outlinePixels > 200,
              shadedHere: map.surveyAlpha[0]! > 0,
              shadedThere: map.surveyAlpha[1]! > 0,
            }
          );
        },
        { message: 'the agent’s cell unshaded, the other still shaded', timeout: 15_000 },
      )
      .toEqual({ zoom: 16, centred: true, outlineDrawn: true, shadedHere: false, shadedThere: true });
    // The sampling plan (issue 17): the agent's cell is measured but undecided, « à mesurer » n° 1,
    // with what each operator still needs (Orange: 1 of 4 alike so far; the others: 4).
    await legend(page)
      .getByText(/À mesurer : 1 maille de la campagne encore indécise/)
      .waitFor();
    await page.getByTitle('À mesurer n° 1 — Orange : 3 relevés, SFR : 4 relevés, Bouygues Telecom : 4 relevés, Free Mobile : 4 relevés').waitFor();

    // In the valley: no network at all, the page reloaded from the installed app.
    await phone.context.setOffline(true);
    server.unreachable = true;
    await page.reload();
    await page.getByRole('link', { name: 'Carte', exact: true }).click();
    await page.getByText('Hors ligne : seuls les relevés de cet appareil sont affichés.').waitFor();
    await legend(page)
      .getByText(`Mailles encore à parcourir : ${total - 1} sur ${total}`)
      .waitFor();
    await expect
      .poll(
        async () => {
          const map = await readMap(page, [HERE, near(OTHER_LAT, OTHER_LON)]);
          return map && { outlineDrawn: map.outlinePixels > 200, shadedHere: map.surveyAlpha[0]! > 0, shadedThere: map.surveyAlpha[1]! > 0 };
        },
        { message: 'the outline and the shading from the device’s copies', timeout: 15_000 },
      )
      .toEqual({ outlineDrawn: true, shadedHere: false, shadedThere: true });
    // The plan as the device kept it.
    await legend(page)
      .getByText(/À mesurer : 1 maille .*\(plan gardé sur l’appareil, hors ligne\)/)
      .waitFor();
    await page.getByTitle(/^À mesurer n° 1 — Orange : 3 relevés/).waitFor();
    await eventually(() => page.locator('.outline-notice').count()).toBe(0);
  });

  it('« Me suivre » moves the map with the agent until the agent moves the map by hand', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Carte', exact: true }).click();
    const followMe = page.getByRole('button', { name: 'Me suivre' });
    const pressed = () => followMe.getAttribute('aria-pressed');
    await expect.poll(pressed).toBe('false');

    await followMe.click();
    await expect.poll(pressed).toBe('true');
    await page.getByText('La carte suit votre position.').waitFor();
    await expect.poll(async () => metresBetween(await mapCentre(page), HERE), { message: 'centred on the agent', timeout: 15_000 }).toBeLessThan(15);

    // Walking 500 m north: the map follows.
    const north = near(POSITION.latitude + 500 / M_PER_LAT, POSITION.longitude);
    await phone.context.setGeolocation({ latitude: north.lat, longitude: north.lon, accuracy: 12 });
    await expect.poll(async () => metresBetween(await mapCentre(page), north), { message: 'the map follows the agent', timeout: 15_000 }).toBeLessThan(15);

    // The page's own record of the positions the phone reports, to know when one has arrived.
    await page.evaluate(() => {
      const seen: [number, number][] = [];
      (window as unknown as { seenPositions: [number, number][] }).seenPositions = seen;
      navigator.geolocation.watchPosition((position) => seen.push([position.coords.latitude, position.coords.longitude]));
    });

    // The agent drags the map to look around: following stops. (The map runs below the fold
    // and under the sync bar: its middle is brought into view first.)
    const mapRegion = page.getByRole('region', { name: 'Carte', exact: true });
    await mapRegion.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    const box = (await mapRegion.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 80, { steps: 8 });
    await page.mouse.up();
    await expect.poll(pressed).toBe('false');
    await page.getByText('Suivi arrêté : vous avez déplacé la carte. « Me suivre » pour reprendre.').waitFor();
    await eventually(() => page.getByText('La carte suit votre position.').count()).toBe(0);

    // Wait for the drag's inertia to end: two readings in a row at the same place.
    let previous: { lat: number; lon: number } | undefined;
    await expect
      .poll(
        async () => {
          const now = await mapCentre(page);
          const still = previous !== undefined && metresBetween(now, previous) < 0.5;
          previous = now;
          return still;
        },
        { message: 'the map comes to rest after the drag', interval: 250 },
      )
      .toBe(true);
    const dragged = previous!;
    expect(metresBetween(dragged, north)).toBeGreaterThan(100);

    // Driving 2 km further: the position arrives, the map stays where the agent put it.
    const further = near(POSITION.latitude + 2500 / M_PER_LAT, POSITION.longitude);
    await phone.context.setGeolocation({ latitude: further.lat, longitude: further.lon, accuracy: 12 });
    await page.waitForFunction(
      ([lat, lon]) =>
        (window as unknown as { seenPositions: [number, number][] }).seenPositions.some(
          ([seenLat, seenLon]) => Math.abs(seenLat - lat!) < 1e-9 && Math.abs(seenLon - lon!) < 1e-9,
        ),
      [further.lat, further.lon],
    );
    // Two frames: a re-centre would have begun by then (a jump this far is not animated).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(metresBetween(await mapCentre(page), dragged)).toBeLessThan(0.5);
    expect(await pressed()).toBe('false');

    // « Me suivre » again: back on the agent, at the new position.
    await followMe.click();
    await expect.poll(pressed).toBe('true');
    await expect
      .poll(async () => metresBetween(await mapCentre(page), further), { message: 'centred on the latest position', timeout: 15_000 })
      .toBeLessThan(15);
    await eventually(() => page.getByText('Suivi arrêté').count()).toBe(0);
  });
});
