import { NUL_MESSAGE } from '../domain/plain-text.ts';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { DEFAULT_FIELD_SETTINGS, type FieldSettings } from '../domain/field-settings.ts';
import { createAccounts, type NewUser } from './accounts.ts';
import { enforceRouteAccess } from './access/enforce.ts';
import { isApiUrl } from './access/route-access.ts';
import { createFailedSignIns } from './auth/failed-sign-ins.ts';
import type { ScryptCost } from './auth/passwords.ts';
import { createCommunes, type Communes } from './communes/communes.ts';
import { placeStoredAgain } from './communes/reference-data.ts';
import type { CommuneOutlines } from './communes/outlines.ts';
import type { TileSource, TileSourcesConfig } from '../domain/tile-source.ts';
import { DEFAULT_GRID, DEFAULT_SECURITY, type GridSettings, type SecuritySettings } from './config.ts';
import { registerFrontend, type FrontendFallback } from './frontend.ts';
import { registerAnswerCompression } from './answer-compression.ts';
import { BODY_LIMIT_BYTES, badRequest, sendError } from './http-errors.ts';
import { registerAccountRoutes } from './routes/accounts.ts';
import { registerCampaignRoutes } from './routes/campaigns.ts';
import { registerCampaignPlanRoutes } from './routes/campaign-plan.ts';
import { registerCellRoutes, type CellsWarmOptions } from './routes/cells.ts';
import { registerCommuneOutlineRoutes } from './routes/commune-outlines.ts';
import { registerDossierRoutes } from './routes/dossiers.ts';
import { registerDepartementSummaryRoutes } from './routes/departement-summary.ts';
import { registerExportRoutes } from './routes/exports.ts';
import { registerOpenDataRoutes } from './routes/open-data.ts';
import { registerProbeRoutes } from './routes/probe.ts';
import { registerQosRoutes } from './routes/qos.ts';
import { registerZoneRoutes } from './routes/zones.ts';
import { registerConfigRoutes } from './routes/config.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerReadingRoutes } from './routes/readings.ts';
import type { UploadAdmission } from './routes/upload-admission.ts';
import { registerReportRoutes } from './routes/reports.ts';
import { registerSessionRoutes } from './routes/session.ts';
import { helmetOptions, rateLimitPluginOptions, strictTransportSecurityOverHttps, withPrivateRequestLogs } from './security.ts';
import { customTileSource, defaultTileSource, tileOrigins, type TileSettings } from './tile-sources.ts';
import type { ReadingAttribution } from './storage/reading-store.ts';
import type { Store } from './storage/store.ts';

export interface AppOptions {
  store: Store;
  /** The base maps offered (main.ts: from the environment). Without it, `tiles` is the only one. */
  tileSources?: TileSourcesConfig;
  /**
   * One base map of the deployment's own (source "custom"), as before base maps could be
   * chosen; tests and embedders pass a loopback server here. Pre-downloading it is refused
   * unless `allowsPrefetch: true`. Ignored when `tileSources` is given.
   */
  tiles?: TileSettings & Partial<Omit<TileSource, 'url' | 'attribution' | 'maxZoom'>>;
  /** The built page (vite's dist/); without it, pages answer 503 saying how to build it. */
  staticDir?: string;
  /** Serve the build's source maps (*.map); default false: they answer 404. */
  serveSourceMaps?: boolean;
  /** The server's clock (readings' dates, sessions' expiry, the audit log); tests pass a fixed one. */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
  /** Sessions, cookies, proxies, rate limits; defaults as documented in the README. */
  security?: Partial<SecuritySettings>;
  /**
   * The commune directory and locator (main.ts: from the commune data in the database,
   * communes/reference-data.ts; default: the shipped département outlines only).
   */
  communes?: Communes;
  /** Outlines GET /api/v1/communes/:code/outline serves before those in the database (tests). */
  communeOutlines?: CommuneOutlines;
  /** scrypt cost for new passwords; tests pass a cheap one. */
  passwordCost?: ScryptCost;
  /** Verdict thresholds and open-data withholding; defaults as documented in the README. */
  grid?: Partial<GridSettings>;
  /** Bytes of built GET /api/v1/cells answers kept (routes/cells.ts); 0 keeps none (the bench's cold views). */
  cellsCacheBytes?: number;
  /** Seconds a GET /api/v1/cells answer for older data may be served while the new one builds (routes/cells.ts); 0 never. Default 60. */
  cellsStaleSeconds?: number;
  /** GET /api/v1/cells answers rebuilt in the background after new data (routes/cells.ts); `{ minutes: 0 }` never. Default 15 minutes. */
  cellsWarm?: CellsWarmOptions;
  /** Probe budget and track spacing sent to the phones; defaults as documented in the README. */
  field?: FieldSettings;
  /** ZONE_QUOTA_PER_YEAR: zones the équipe projet may propose a year, shown on its table; none by default. */
  zoneQuotaPerYear?: number;
  /** Uploads of readings stored at once by this process, and the longest wait for a turn (routes/upload-admission.ts). */
  uploadAdmission?: UploadAdmission;
}

/** What tests (server and browser) use to set up accounts without going through HTTP. */
export interface AccountsTestHook {
  createUser(user: NewUser): Promise<{ id: string }>;
  revokeSessions(userId: string): Promise<number>;
  readingAttribution(readingId: string): Promise<ReadingAttribution | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountsTestHook;
  }
}

const API_ROUTES =
  'GET /api/v1/health, GET /api/v1/config, /api/v1/session, /api/v1/readings, /api/v1/reports, /api/v1/tokens, /api/v1/users, ' +
  '/api/v1/communes, GET /api/v1/communes/:code/outline, /api/v1/audit, /api/v1/cells, /api/v1/zones, /api/v1/open-data, /api/v1/probe, /api/v1/campaigns, ' +
  'GET /api/v1/campaign-agents, GET /api/v1/departements/:code/summary (voir docs/api.md)';

/**
 * The whole HTTP server: API and page. Every route is declared in one plugin that shares the
 * root instance (fastify-plugin), so that hooks the caller adds before `listen()` apply to
 * them too, and the security plugins (helmet, rate limits) are loaded before any route.
 */
export function buildApp({
  store,
  tileSources: givenTileSources,
  tiles,
  staticDir,
  serveSourceMaps = false,
  now = Date.now,
  logger = false,
  security: securityOverrides = {},
  communes = createCommunes(),
  communeOutlines,
  passwordCost,
  grid: gridOverrides = {},
  cellsCacheBytes,
  cellsStaleSeconds,
  cellsWarm,
  field = DEFAULT_FIELD_SETTINGS,
  zoneQuotaPerYear,
  uploadAdmission,
}: AppOptions): FastifyInstance {
  const security: SecuritySettings = { ...DEFAULT_SECURITY, ...securityOverrides };
  const grid: GridSettings = { ...DEFAULT_GRID, ...gridOverrides };
  const tileSources = resolveTileSources(givenTileSources, tiles);
  const app = Fastify({
    logger: withPrivateRequestLogs(logger),
    bodyLimit: BODY_LIMIT_BYTES,
    frameworkErrors: sendError,
    // A number of hops is a function for fastify's types (proxy-addr does the same).
    trustProxy: typeof security.trustProxy === 'number' ? trustHops(security.trustProxy) : security.trustProxy,
  });

  // Only JSON bodies are accepted; dropping the text/plain parser makes any other type a 415.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(sendError);

  // An API answer describes the server at one instant: no browser cache or service worker may
  // replay it (the phone's "am I online?" check depends on reaching the server). A route with
  // an ETag says instead that the browser must revalidate (GET /api/v1/cells).
  app.addHook('onSend', async (request, reply) => {
    if (isApiUrl(request.url) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  registerAnswerCompression(app);

  app.addHook('onRequest', strictTransportSecurityOverHttps);

  // No identifier or filter holds U+0000, and PostgreSQL cannot even compare with one.
  app.addHook('onRequest', async (request) => {
    if (/%00/i.test(request.url)) throw badRequest(`L’adresse ${NUL_MESSAGE} (%00)`);
  });

  const accounts = createAccounts({
    store,
    communes,
    now,
    sessionDays: security.sessionDays,
    sessionIdleDays: security.sessionIdleDays,
    ...(passwordCost && { passwordCost }),
  });
  const failedSignIns = createFailedSignIns(store, now, security.rateLimits.loginFailuresPerEmail);
  app.decorate('accounts', {
    createUser: async (user: NewUser) => ({ id: (await accounts.createUser(user)).id }),
    revokeSessions: async (userId: string) => (await accounts.revokeSessions(userId)).sessions,
    readingAttribution: (readingId: string) => store.attribution(readingId),
  } satisfies AccountsTestHook);

  // Before any route is declared: its onRoute check refuses an API route without an access rule.
  enforceRouteAccess(app, accounts, { secure: security.cookieSecure });

  let frontendFallback: FrontendFallback | undefined;
  const routes: FastifyPluginAsync = async (root) => {
    await root.register(helmet, helmetOptions(tileOrigins(tileSources)));
    await root.register(rateLimit, rateLimitPluginOptions(store, now));
    registerHealthRoutes(root, store);
    registerConfigRoutes(root, tileSources, field);
    registerProbeRoutes(root, security.rateLimits.probe);
    registerQosRoutes(root, { rateLimit: security.rateLimits.qos, settings: field.dataTest });
    registerSessionRoutes(root, { accounts, failedSignIns, security });
    registerReadingRoutes(root, { store, now, communes, ...(uploadAdmission && { admission: uploadAdmission }) });
    registerReportRoutes(root, { store, now, communes, accounts, security });
    registerAccountRoutes(root, { accounts, communes, store, security, failedSignIns });
    registerCommuneOutlineRoutes(root, { store, communes, ...(communeOutlines && { outlines: communeOutlines }), rateLimit: security.rateLimits.publicReads });
    registerCellRoutes(root, {
      store,
      communes,
      grid,
      now,
      ...(cellsCacheBytes !== undefined && { answerCacheBytes: cellsCacheBytes }),
      ...(cellsStaleSeconds !== undefined && { staleSeconds: cellsStaleSeconds }),
      ...(cellsWarm && { warm: cellsWarm }),
    });
    registerZoneRoutes(root, { store, communes, accounts, grid, now });
    registerDossierRoutes(root, { store, communes, grid, now });
    registerDepartementSummaryRoutes(root, { store, communes, grid, now, zoneQuotaPerYear });
    registerExportRoutes(root, { store });
    registerOpenDataRoutes(root, { store, grid, security, now });
    registerCampaignRoutes(root, { store, communes, accounts, now, defaultProtocol: field.protocol });
    registerCampaignPlanRoutes(root, { store, communes, grid });
    frontendFallback = registerFrontend(root, staticDir, { serveSourceMaps });
  };
  app.register(fastifyPlugin(routes, { name: 'couverture-routes' }));

  // Readings and reports placed with older commune data (or never: stored before this
  // server version, or by a process started before the last `npm run communes`) are placed
  // again with the data this process has; zones' communes follow.
  app.addHook('onReady', async () => {
    try {
      const placed = await placeStoredAgain(store, communes);
      if (placed.readings + placed.reports > 0) {
        app.log.info(`placés à nouveau : ${placed.readings} relevés, ${placed.reports} signalements ; communes de ${placed.zones} zones recalculées`);
      }
    } catch (error) {
      // Not worth refusing to start over: the health check says whether the store answers.
      app.log.error({ err: error }, 'placing older readings and reports again failed');
    }
  });

  app.setNotFoundHandler((request, reply) => {
    if (!isApiUrl(request.url) && (request.method === 'GET' || request.method === 'HEAD') && frontendFallback) {
      return frontendFallback(request, reply);
    }
    const path = request.url.split('?')[0];
    return reply.code(404).send({ error: `Rien à ${request.method} ${path}. Adresses de l’API : ${API_ROUTES}.` });
  });

  return app;
}

function resolveTileSources(tileSources: TileSourcesConfig | undefined, tiles: AppOptions['tiles']): TileSourcesConfig {
  if (tileSources) {
    defaultTileSource(tileSources); // throws when the default is not offered
    return tileSources;
  }
  if (!tiles) throw new Error('buildApp needs tileSources (or tiles): the page has no base map otherwise');
  const source = customTileSource(tiles);
  return { sources: [source], defaultSourceId: source.id };
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
