import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { createCommunes, type Communes } from '../../src/server/communes/communes.ts';
import type { CommuneOutlines } from '../../src/server/communes/outlines.ts';
import { openStore, storeLocation } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import type { Role } from '../../src/domain/account.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { Report } from '../../src/domain/report.ts';
import { afterAll, afterEach, beforeEach, expect, inject } from 'vitest';
import { E2E_DIST } from './paths.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.ts';
import { newTestLocation } from '../support/test-store.ts';

/**
 * The project e2e-postgres (vitest.config.ts) runs the browser tests with
 * COUVERTURE_E2E_STORE=postgres: the app then runs as two instances (each its own
 * PostgreSQL pool, rate-limit counters and caches) on one fresh schema, behind a proxy that
 * hands requests to each in turn, as two app processes behind a load balancer.
 */
const TWO_INSTANCES_ON_POSTGRES = process.env.COUVERTURE_E2E_STORE === 'postgres';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the browser projects whose phones share one Chromium per test file (vitest.config.ts; launchPhone). */
    sharedChromium?: boolean;
  }
}

/**
 * One Chromium per test file, launched by its first phone and closed after its last test, when
 * the project asks for it: each phone that never restarts is then a fresh context in it.
 * Launched here rather than once per run so that downloads stay local files (Playwright gives
 * no download's path through a browser it reaches remotely).
 */
const SHARES_CHROMIUM = process.env.VITEST_WORKER_ID !== undefined && inject('sharedChromium') === true;
let sharedChromium: Promise<Browser> | undefined;
if (SHARES_CHROMIUM) {
  afterAll(async () => {
    const browser = sharedChromium;
    sharedChromium = undefined;
    await (await browser)?.close();
  });
}

/** Where the mocked phone stands: Saint-Guilhem-le-Désert, a valley with poor coverage. */
export const POSITION = { latitude: 43.7339, longitude: 3.5494, accuracy: 12 };

export interface TestServer {
  url: string;
  /** The app (the first instance, when there are two: accounts made through it are everyone's). */
  app: FastifyInstance;
  store: Store;
  /** What `npm run admin` and the other commands of the server's shell need to reach this server's database (DATA_DIR or DATABASE_URL). */
  commandEnv: Record<string, string>;
  /** Every reading id the server received in POST bodies, in order, repeats included. */
  postedIds: string[];
  /**
   * While set, every request to the app server has its connection dropped, as when the
   * phone has no network. Playwright's offline emulation does not reach a service worker
   * that starts along with a relaunched browser, so restart tests cut the server side too.
   */
  unreachable: boolean;
  /** While set, POST /api/v1/readings answers this status without touching storage. */
  failWith: number | undefined;
  /** Holds every POST /api/v1/readings until the returned function is called. */
  holdPosts(): () => void;
  /** Tiles requested from the loopback tile server. */
  tileRequests: number;
  /** Requests per tile path (`/14/8353/5973.png`), repeats counted. */
  tileCounts: Map<string, number>;
  /** While set, the tile server drops every connection, as when it cannot be reached. */
  tilesUnreachable: boolean;
  /** Tile requests waiting on holdTiles() right now. */
  heldTiles: number;
  /** Serves `after` more tiles, then holds every tile request until the returned function is called. */
  holdTiles(options?: { after?: number }): () => void;
  storedReadings(): Promise<Reading[]>;
  /** Residents' reports held, hidden ones included. */
  storedReports(): Promise<Report[]>;
  close(): Promise<void>;
}

/**
 * The real app server on a fresh SQLite file (or two instances on PostgreSQL: see
 * TWO_INSTANCES_ON_POSTGRES), plus a loopback tile server, on free ports.
 * `staticDir` serves another copy of the built app (a test that ships a new version);
 * `communeOutlines` gives GET /api/v1/communes/:code/outline something to answer; `communes`
 * replaces the two commune centres below (`createCommunes()`: a default install's data).
 */
export async function startServer({
  staticDir = E2E_DIST,
  communeOutlines,
  communes,
}: {
  staticDir?: string;
  communeOutlines?: CommuneOutlines;
  communes?: Communes;
} = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'couverture-e2e-'));
  // Every tile is the 192 px app icon: a test tells a real tile from the service worker's
  // 256 px « Non téléchargé » placeholder by its size.
  const tile = await readFile(new URL('../../public/icons/icon-192.png', import.meta.url));
  let tileHold: { left: number; released: Promise<void>; release: () => void } | undefined;
  const tiles: Server = createServer(async (request, response) => {
    if (server.tilesUnreachable) return void request.socket.destroy();
    const path = request.url ?? '/';
    server.tileRequests += 1;
    server.tileCounts.set(path, (server.tileCounts.get(path) ?? 0) + 1);
    const hold = tileHold;
    if (hold && hold.left > 0) hold.left -= 1;
    else if (hold) {
      server.heldTiles += 1;
      await hold.released;
      server.heldTiles -= 1;
    }
    // A request the page gave up on (a cancelled download, a reload) has no one left to answer.
    if (response.destroyed) return;
    // CORS, as IGN's and OSM's tile servers answer: the app asks tiles in cors mode.
    response.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(tile);
  });
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  const tilePort = (tiles.address() as AddressInfo).port;
  const tileBase = `http://127.0.0.1:${tilePort}`;

  let held: Promise<void> | undefined;
  // SQLite where `npm start` keeps it (DATA_DIR/couverture.sqlite), so that a command of the server's shell finds it (commandEnv).
  const { location, drop } = TWO_INSTANCES_ON_POSTGRES
    ? await newTestLocation(dataDir, 'postgres')
    : { location: storeLocation(dataDir, undefined), drop: async () => undefined };
  const stores = await Promise.all((TWO_INSTANCES_ON_POSTGRES ? [1, 2] : [1]).map(() => openStore(location)));
  const apps = stores.map((store) => {
    const app = buildApp({
      store,
      staticDir,
      ...(communeOutlines && { communeOutlines }),
      logger: false,
      // Sign-ins in every test: a cheap scrypt keeps them fast (the server tests use the real cost).
      passwordCost: { N: 2 ** 10, r: 8, p: 1 },
      // Where the phone stands (Saint-Guilhem-le-Désert) and Montpellier, so that readings and
      // reports are placed in a commune and a département (34) as in production.
      communes:
        communes ??
        createCommunes([
          { code: '34261', lat: 43.7339, lon: 3.5494 },
          { code: '34172', lat: 43.6108, lon: 3.8767 },
        ]),
      // Two base maps on the loopback tile server: the default may be downloaded ahead (like
      // Plan IGN), the other only cached while browsing (like OpenStreetMap).
      tileSources: {
        defaultSourceId: 'test',
        sources: [
          {
            id: 'test',
            label: 'Tuiles de test',
            url: `${tileBase}/{z}/{x}/{y}.png`,
            attribution: 'Tuiles de test',
            minZoom: 0,
            maxZoom: 19,
            allowsPrefetch: true,
            averageTileBytes: tile.length,
          },
          {
            id: 'test-libre',
            label: 'Tuiles sans téléchargement',
            url: `${tileBase}/libre/{z}/{x}/{y}.png`,
            attribution: 'Tuiles de test (navigation seulement)',
            minZoom: 0,
            maxZoom: 19,
            allowsPrefetch: false,
            averageTileBytes: tile.length,
          },
        ],
      },
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!server.unreachable) return;
      // Hijacked, the request goes no further: nothing is stored, as if it never arrived.
      reply.hijack();
      request.raw.socket.destroy();
    });
    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST' || request.url !== '/api/v1/readings') return;
      const body = request.body as { readings?: { id?: string }[] } | undefined;
      for (const reading of body?.readings ?? []) if (reading.id) server.postedIds.push(reading.id);
      await held;
      if (server.failWith !== undefined) return reply.code(server.failWith).send({ error: 'Panne simulée' });
    });
    return app;
  });
  const appUrls: string[] = [];
  for (const app of apps) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    appUrls.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  }
  const proxy: RoundRobinProxy | undefined = apps.length > 1 ? await startRoundRobinProxy(appUrls) : undefined;
  const app = apps[0]!;
  const store = stores[0]!;

  const server: TestServer = {
    url: proxy?.url ?? appUrls[0]!,
    app,
    store,
    commandEnv: location.kind === 'sqlite' ? { DATA_DIR: dataDir } : { DATABASE_URL: location.url },
    postedIds: [],
    unreachable: false,
    failWith: undefined,
    tileRequests: 0,
    tileCounts: new Map(),
    tilesUnreachable: false,
    heldTiles: 0,
    holdTiles({ after = 0 } = {}) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      tileHold = { left: after, released, release };
      return () => {
        tileHold = undefined;
        release();
      };
    },
    holdPosts() {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    async storedReadings() {
      const page = await store.query({ limit: 5000 });
      return page.readings;
    },
    async storedReports() {
      const page = await store.queryReports({ limit: 5000, hiddenVisibleIn: 'all' });
      return page.reports.map((stored) => stored.report);
    },
    async close() {
      await proxy?.close();
      for (const instance of apps) await instance.close();
      for (const opened of stores) await opened.close();
      await drop();
      tileHold?.release();
      await new Promise((resolve) => tiles.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

export interface Phone {
  context: BrowserContext;
  /**
   * Content-Security-Policy violations seen in any page of the phone, across restarts: the
   * `securitypolicyviolation` events and the console's CSP errors.
   */
  cspViolations: string[];
  /**
   * Closes the browser and starts it again on the same profile, like an app killed and
   * reopened (only a phone launched `restartable`). `offline` starts it without network from
   * its first instant: cutting it after launch would leave a window in which Background Sync
   * (a phone launched with `backgroundSync`) already sends.
   */
  restart(options?: { offline?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * A phone-sized browser. `restartable`: its own Chromium on a profile on disk, which
 * `restart()` closes and launches again (IndexedDB and the service worker survive it);
 * otherwise, in a project that shares one, a fresh context in the test file's Chromium: as
 * isolated from every other phone (its own cookies, storage, caches and service worker) and a
 * second or two faster to start. Outside vitest (the benches) every phone has its own Chromium.
 * `desktop`: an office screen with a mouse instead (the reviewers' screens). `backgroundSync`:
 * the site may use Background Sync, as Chrome on Android allows by default; without it the
 * browser refuses `sync.register()` and only the page's own triggers send (as in Firefox, Safari).
 */
export async function launchPhone({
  desktop = false,
  restartable = false,
  backgroundSync = false,
}: {
  desktop?: boolean;
  restartable?: boolean;
  backgroundSync?: boolean;
} = {}): Promise<Phone> {
  const device: BrowserContextOptions = {
    viewport: desktop ? { width: 1366, height: 900 } : { width: 390, height: 844 },
    isMobile: !desktop,
    hasTouch: !desktop,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    permissions: backgroundSync ? ['geolocation', 'background-sync'] : ['geolocation'],
    geolocation: POSITION,
  };
  const cspViolations: string[] = [];
  if (SHARES_CHROMIUM && !restartable) {
    sharedChromium ??= chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await (await sharedChromium).newContext(device);
    await watchCsp(context, cspViolations);
    return {
      context,
      cspViolations,
      restart: () => Promise.reject(new Error('this phone shares the project’s Chromium: launch it with launchPhone({ restartable: true }) to restart it')),
      close: () => context.close(),
    };
  }
  const profile = await mkdtemp(join(tmpdir(), 'couverture-profile-'));
  const launchWatched = async ({ offline = false } = {}) => {
    const context = await chromium.launchPersistentContext(profile, { ...device, offline, executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    await watchCsp(context, cspViolations);
    return context;
  };
  const phone: Phone = {
    context: await launchWatched(),
    cspViolations,
    async restart(options) {
      await phone.context.close();
      phone.context = await launchWatched(options);
      return phone.context;
    },
    async close() {
      await phone.context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
  return phone;
}

/** Records every CSP violation of every page of `context` into `into`. */
async function watchCsp(context: BrowserContext, into: string[]): Promise<void> {
  await context.exposeBinding('__couvertureCspViolation', (_source, text: string) => {
    into.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __couvertureCspViolation?: (text: string) => void }).__couvertureCspViolation;
      report?.(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  context.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) into.push(`console: ${message.text()}`);
  });
}

export const PASSWORD = 'mot de passe de test 2026';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
}

/** Creates an account on the server through its test hook (contract: app.accounts). */
export async function createUser(
  server: TestServer,
  {
    role = 'agent',
    email = `${role}@couverture.test`,
    name = role === 'agent' ? 'Camille Agent' : role === 'reviewer' ? 'Dominique Instructeur' : 'Alex Admin',
  }: { role?: Role; email?: string; name?: string } = {},
): Promise<TestUser> {
  const { id } = await server.app.accounts.createUser({
    email,
    name,
    password: PASSWORD,
    role,
    ...(role === 'agent' && { communes: ['34261'] }),
    ...(role === 'reviewer' && { departement: '34' }),
  });
  return { id, email, name, password: PASSWORD };
}

/** Fills whichever sign-in form the page shows (first screen, or the expired-session banner). */
export async function signInThroughPage(page: Page, user: TestUser): Promise<void> {
  await page.bringToFront();
  await page.getByLabel('Adresse e-mail', { exact: true }).fill(user.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  await page.getByRole('button', { name: 'Se connecter' }).waitFor({ state: 'detached' });
}

/** Installs the app and signs the agent in: the agent's first day, with network. */
export async function openSignedIn(context: BrowserContext, url: string, user: TestUser): Promise<Page> {
  const page = await openInstalled(context, url);
  await signInThroughPage(page, user);
  return page;
}

/** Opens the app and waits until its service worker controls the page (the app is installed). */
export async function openInstalled(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page;
}

/** Records one reading through the survey screen, as an agent would. */
export async function recordReading(page: Page, { operator = 'Orange', technology = '4G (LTE)', bars = '2' } = {}): Promise<void> {
  await page.getByRole('link', { name: 'Relevé', exact: true }).click();
  await page.getByText('Précision').waitFor();
  const before = (await deviceReadingIds(page)).length;
  await page.getByRole('group', { name: 'Opérateur' }).getByText(operator, { exact: true }).click();
  await page.getByRole('group', { name: 'Réseau affiché' }).getByText(technology, { exact: true }).click();
  await page.getByRole('group', { name: 'Barres de réseau' }).getByText(bars, { exact: true }).click();
  await page.getByRole('button', { name: /Enregistrer/ }).click();
  await expect.poll(async () => (await deviceReadingIds(page)).length, { message: 'the reading reaches IndexedDB' }).toBe(before + 1);
  await page.getByRole('status').filter({ hasText: 'Relevé enregistré' }).waitFor();
}

/** The ids of the readings stored in the page's IndexedDB. */
export function deviceReadingIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('couverture');
        // Never create the app's database from the test: that would skip the app's own upgrade.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => (open.error?.name === 'AbortError' ? resolve([]) : reject(open.error));
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAllKeys();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as string[]);
          };
        };
      }),
  );
}

export function syncBar(page: Page) {
  return page.getByRole('region', { name: 'Envoi des relevés' });
}

/**
 * The agent taps « Envoyer maintenant » if the sync bar offers it at this moment, and never
 * waits for it: the app's own retry (backoff timer, Background Sync) may be sending already —
 * the button then reads « Envoi… » (another name) or is disabled — and either way is a
 * recovery, which the caller waits for by what the device or the server holds.
 */
export async function tapSendNowIfOffered(page: Page): Promise<void> {
  const sendNow = syncBar(page).getByRole('button', { name: 'Envoyer maintenant' });
  if ((await sendNow.count()) === 0) return;
  if (await sendNow.isEnabled({ timeout: 1_000 }).catch(() => false)) await sendNow.click({ timeout: 2_000 }).catch(() => undefined);
}

/**
 * Waits until nothing waits on the device, tapping « Envoyer maintenant » whenever the sync bar
 * offers it, as an agent would: a send of the app's own begun before the server recovered may
 * still fail, and the app's next try of its own can then be a backoff of tens of seconds away.
 */
export async function sendUntilNoneWaiting(page: Page, timeout = 30_000): Promise<void> {
  const none = syncBar(page).getByText('Aucun relevé en attente');
  await expect
    .poll(
      async () => {
        if (await none.isVisible()) return true;
        await tapSendNowIfOffered(page);
        return none.isVisible();
      },
      { timeout, interval: 500, message: 'every waiting reading sent' },
    )
    .toBe(true);
}

/** What most browser tests start from: a fresh server, a phone, and an agent account on it. */
export interface FieldDay {
  server: TestServer;
  phone: Phone;
  agent: TestUser;
  /** The built app the server serves: a copy of its own with `shipsNewVersion`, which the test may change. */
  staticDir: string;
}

/**
 * Gives each test of the enclosing describe a fresh field day, handed over through `receive`,
 * and tears it down after, failing the test if any page broke the Content-Security-Policy.
 * `restartable`, `backgroundSync`: the phone's (launchPhone). `shipsNewVersion`: the server
 * serves a copy of the build, which the test may change into « the next version ».
 */
export function useFieldDay(
  receive: (day: FieldDay) => void,
  { restartable = false, shipsNewVersion = false, backgroundSync = false }: { restartable?: boolean; shipsNewVersion?: boolean; backgroundSync?: boolean } = {},
): void {
  let day: FieldDay | undefined;
  beforeEach(async () => {
    let staticDir = E2E_DIST;
    if (shipsNewVersion) {
      staticDir = await mkdtemp(join(tmpdir(), 'couverture-dist-'));
      await cp(E2E_DIST, staticDir, { recursive: true });
    }
    const server = await startServer({ staticDir });
    const phone = await launchPhone({ restartable, backgroundSync });
    day = { server, phone, agent: await createUser(server), staticDir };
    receive(day);
  });
  afterEach(async () => {
    if (!day) return;
    const { server, phone, staticDir } = day;
    day = undefined;
    const cspViolations = [...phone.cspViolations];
    await phone.close();
    await server.close();
    if (staticDir !== E2E_DIST) await rm(staticDir, { recursive: true, force: true });
    expect(cspViolations).toEqual([]);
  });
}

/** How many readings in the page's IndexedDB are still held back for their evidence (a probe measuring). */
export function deviceHeldCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('couverture');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => (open.error?.name === 'AbortError' ? resolve(0) : reject(open.error));
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as { heldUntil?: number }[]).filter((record) => record.heldUntil !== undefined).length);
          };
        };
      }),
  );
}

export interface ServerWithPhones {
  server: TestServer;
  /** Launches a browser that the test's teardown closes, failing the test on any CSP violation. */
  launch(options?: Parameters<typeof launchPhone>[0]): Promise<Phone>;
  /** Closes one before the test ends (its CSP violations still count). */
  close(phone: Phone): Promise<void>;
}

/**
 * Gives each test of the enclosing describe a fresh server and a way to launch as many
 * phones and desks as it needs, handed over through `receive`; all torn down after.
 */
export function useServerWithPhones(receive: (given: ServerWithPhones) => void): void {
  let server: TestServer | undefined;
  const phones: Phone[] = [];
  const cspViolations: string[] = [];
  const close = async (phone: Phone) => {
    const index = phones.indexOf(phone);
    if (index === -1) return;
    phones.splice(index, 1);
    cspViolations.push(...phone.cspViolations);
    await phone.close();
  };
  beforeEach(async () => {
    server = await startServer();
    cspViolations.length = 0;
    receive({
      server,
      launch: async (options) => {
        const phone = await launchPhone(options);
        phones.push(phone);
        return phone;
      },
      close,
    });
  });
  afterEach(async () => {
    for (const phone of [...phones]) await close(phone);
    await server?.close();
    server = undefined;
    expect(cspViolations).toEqual([]);
  });
}

/**
 * `count` readings in Saint-Guilhem-le-Désert's commune (34261), spread over a box about
 * 10 km by 25 km around it (the map's département view), operators in turn, bars 0–4,
 * written straight into the store: a crowd for the map's tests and bench, not an upload.
 */
export async function insertReadingCrowd(server: TestServer, count: number): Promise<void> {
  const operators = ['orange', 'sfr', 'bouygues', 'free'] as const;
  const start = Date.parse('2026-05-04T06:00:00Z');
  const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
  for (let from = 0; from < count; from += 5000) {
    const batch: Reading[] = Array.from({ length: Math.min(5000, count - from) }, (_, k) => {
      const i = from + k;
      return {
        id: crypto.randomUUID(),
        recordedAt: new Date(start + i * 1000).toISOString(),
        lat: 43.55 + (i % 250) * 0.0005,
        lon: 3.45 + Math.floor(i / 250) * 0.0015,
        accuracyM: 10,
        operator: operators[i % 4]!,
        technology: '4G',
        signalBars: i % 5,
        setting: 'outdoor',
        source: 'agent',
      };
    });
    await server.store.ingest(
      batch,
      batch.map(() => place),
    );
  }
}
