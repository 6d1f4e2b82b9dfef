import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite-store.ts';
import type { ReadingStore } from '../../src/server/storage/reading-store.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { expect } from 'vitest';
import { E2E_DIST } from './paths.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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

/** Where the mocked phone stands: Saint-Guilhem-le-Désert, a valley with poor coverage. */
export const POSITION = { latitude: 43.7339, longitude: 3.5494, accuracy: 12 };

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: ReadingStore;
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
  storedReadings(): Promise<Reading[]>;
  close(): Promise<void>;
}

/** The real app server on a fresh SQLite file, plus a loopback tile server, on free ports. */
export async function startServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'couverture-e2e-'));
  const tile = await readFile(new URL('../../public/icons/icon-192.png', import.meta.url));
  const tiles: Server = createServer((_request, response) => {
    server.tileRequests += 1;
    response.writeHead(200, { 'content-type': 'image/png' }).end(tile);
  });
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  const tilePort = (tiles.address() as AddressInfo).port;

  let held: Promise<void> | undefined;
  const store = openSqliteStore(join(dataDir, 'couverture.sqlite'));
  const app = await buildApp({
    store,
    staticDir: E2E_DIST,
    logger: false,
    tiles: { url: `http://127.0.0.1:${tilePort}/{z}/{x}/{y}.png`, attribution: 'Tuiles de test', maxZoom: 19 },
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
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    app,
    store,
    postedIds: [],
    unreachable: false,
    failWith: undefined,
    tileRequests: 0,
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
    async close() {
      await app.close();
      await store.close();
      await new Promise((resolve) => tiles.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

export interface Phone {
  context: BrowserContext;
  /**
   * Closes the browser and starts it again on the same profile, like an app killed and
   * reopened. `offline` starts it without network from its first instant: cutting it after
   * launch would leave a window in which Background Sync already sends.
   */
  restart(options?: { offline?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** A phone-sized Chromium with a profile on disk (IndexedDB and service worker survive restarts). */
export async function launchPhone(): Promise<Phone> {
  const profile = await mkdtemp(join(tmpdir(), 'couverture-profile-'));
  const launch = ({ offline = false } = {}) =>
    chromium.launchPersistentContext(profile, {
      offline,
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      permissions: ['geolocation'],
      geolocation: POSITION,
    });
  const phone: Phone = {
    context: await launch(),
    async restart(options) {
      await phone.context.close();
      phone.context = await launch(options);
      return phone.context;
    },
    async close() {
      await phone.context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
  return phone;
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
