import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { E2E_DIST } from '../e2e/paths.ts';

/**
 * What POST /api/v1/readings does instead of answering normally. The faults a phone meets
 * between itself and the server: error statuses and bodies written by proxies, a request
 * that never gets an answer, a captive portal, and a commit whose answer is lost.
 */
export type PostFault =
  | { kind: 'status'; status: number; contentType?: string; body?: string; headers?: Record<string, string> }
  /** Never answers (the phone's own timeout must end the wait). */
  | { kind: 'hang' }
  /** A captive portal: 302 to another origin, whose page answers 200 with HTML. */
  | { kind: 'portal-redirect' }
  /** A captive portal answering the API's own URL with its HTML login page, status 200. */
  | { kind: 'portal-page' }
  /** The handler stores the batch, then the connection drops before the answer leaves. */
  | { kind: 'commit-then-drop' };

export interface FaultServer {
  url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  /** Reading ids received in POST bodies, in order, repeats included (across restarts). */
  postedIds: string[];
  /** POST /api/v1/readings requests received (across restarts). */
  posts: number;
  /** Applies to every POST /api/v1/readings while set. */
  fault: PostFault | undefined;
  /** While set, every connection is dropped on arrival, as when the phone has no network. */
  unreachable: boolean;
  /**
   * Holds the `nth` POST from now (1 = the next one) before the handler runs; `reached`
   * resolves when it arrives, `release` lets it go on (it then stores as usual).
   */
  holdPost(nth?: number): { reached: Promise<void>; release(): void };
  /**
   * Kills the server the way a crash or a redeploy does: every open connection cut, held
   * requests abandoned, then a new app on the same SQLite file and the same port.
   */
  restart(): Promise<void>;
  storedReadings(): Promise<Reading[]>;
  close(): Promise<void>;
}

const PORTAL_PAGE =
  '<!doctype html><html><head><title>Wi-Fi gratuit</title></head><body><h1>Connectez-vous au Wi-Fi</h1><form><button>Accepter</button></form></body></html>';

/** The real app server on a fresh SQLite file, with fault switches on the readings upload. */
export async function startFaultServer({ staticDir = E2E_DIST }: { staticDir?: string } = {}): Promise<FaultServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'couverture-faults-'));
  const dbFile = join(dataDir, 'couverture.sqlite');

  // The portal is another origin, as a hotel's or a station's Wi-Fi login page is.
  const portal: Server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(PORTAL_PAGE));
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  const portalBase = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  const portalUrl = `${portalBase}/login`;

  let hold: { left: number; reached: () => void; released: Promise<void> } | undefined;
  const abandoned: (() => void)[] = [];
  let app!: FastifyInstance;
  let store!: Store;
  let port = 0;
  const sockets = new Set<Socket>();

  const open = async () => {
    store = openSqliteStore(dbFile);
    app = await buildApp({
      store,
      staticDir,
      logger: false,
      passwordCost: { N: 2 ** 10, r: 8, p: 1 },
      communes: createCommunes([{ code: '34261', lat: 43.7339, lon: 3.5494 }]),
      // The survey never shows a map: any loopback origin will do for the base map.
      tileSources: {
        defaultSourceId: 'test',
        sources: [
          {
            id: 'test',
            label: 'Tuiles de test',
            url: `${portalBase}/{z}/{x}/{y}.png`,
            attribution: 'Tuiles de test',
            minZoom: 0,
            maxZoom: 19,
            allowsPrefetch: false,
            averageTileBytes: 1000,
          },
        ],
      },
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!server.unreachable) return;
      reply.hijack();
      request.raw.socket.destroy();
    });
    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST' || request.url !== '/api/v1/readings') return;
      server.posts += 1;
      const body = request.body as { readings?: { id?: string }[] } | undefined;
      for (const reading of body?.readings ?? []) if (typeof reading?.id === 'string') server.postedIds.push(reading.id);
      if (hold && --hold.left === 0) {
        const current = hold;
        hold = undefined;
        current.reached();
        await current.released;
      }
      const fault = server.fault;
      if (!fault) return;
      switch (fault.kind) {
        case 'status':
          reply.code(fault.status).headers(fault.headers ?? {});
          if (fault.contentType) reply.type(fault.contentType);
          return reply.send(fault.body ?? { error: 'Panne simulée' });
        case 'hang':
          // Answered never: the phone gives up on its own; close() lets the handler go.
          await new Promise<void>((resolve) => abandoned.push(resolve));
          reply.hijack();
          return;
        case 'portal-redirect':
          return reply.code(302).header('location', portalUrl).type('text/html').send(PORTAL_PAGE);
        case 'portal-page':
          return reply.code(200).type('text/html').send(PORTAL_PAGE);
        case 'commit-then-drop':
          // The handler runs and commits; onSend below cuts the line before the answer.
          return;
      }
    });
    app.addHook('onSend', async (request, _reply, payload) => {
      if (server.fault?.kind === 'commit-then-drop' && request.method === 'POST' && request.url === '/api/v1/readings') request.raw.socket.destroy();
      return payload;
    });
    app.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await app.listen({ host: '127.0.0.1', port });
    port = (app.server.address() as AddressInfo).port;
  };
  await open();

  const server: FaultServer = {
    url: `http://127.0.0.1:${port}`,
    get app() {
      return app;
    },
    get store() {
      return store;
    },
    postedIds: [],
    posts: 0,
    fault: undefined,
    unreachable: false,
    holdPost(nth = 1) {
      let reached!: () => void;
      let release!: () => void;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      hold = { left: nth, reached, released };
      return { reached: reachedPromise, release };
    },
    async restart() {
      for (const socket of sockets) socket.destroy();
      // A request held in a hook would keep app.close() waiting: it dies with the process.
      hold = undefined;
      await app.close();
      await store.close();
      await open();
    },
    async storedReadings() {
      // Every page: a full-size scenario holds more than one query's 5,000.
      const readings: Reading[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.query({ limit: 5000, ...(cursor !== undefined && { cursor }) });
        readings.push(...page.readings);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return readings;
    },
    async close() {
      for (const resolve of abandoned.splice(0)) resolve();
      for (const socket of sockets) socket.destroy();
      await app.close();
      await store.close();
      await new Promise((resolve) => portal.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
