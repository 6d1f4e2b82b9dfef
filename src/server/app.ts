import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TileSettings } from './config.ts';
import { registerFrontend } from './frontend.ts';
import { BODY_LIMIT_BYTES, sendError } from './http-errors.ts';
import { registerConfigRoutes } from './routes/config.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerReadingRoutes } from './routes/readings.ts';
import type { ReadingStore } from './storage/reading-store.ts';

export interface AppOptions {
  store: ReadingStore;
  tiles: TileSettings;
  /** The built page (vite's dist/); without it, pages answer 503 saying how to build it. */
  staticDir?: string;
  /** Clock for validating readings; tests pass a fixed one. */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
}

const API_ROUTES = 'GET /api/v1/health, GET /api/v1/config, GET et POST /api/v1/readings';

/**
 * The whole HTTP server: API and page. Routes are declared on the root instance, not in
 * encapsulated plugins, so that hooks the caller adds before `listen()` apply to them too.
 */
export function buildApp({ store, tiles, staticDir, now = Date.now, logger = false }: AppOptions): FastifyInstance {
  const app = Fastify({ logger, bodyLimit: BODY_LIMIT_BYTES, frameworkErrors: sendError });

  // Only JSON bodies are accepted; dropping the text/plain parser makes any other type a 415.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(sendError);

  // An API answer describes the server at one instant: no browser cache or service worker may
  // replay it (the phone's "am I online?" check depends on reaching the server).
  app.addHook('onSend', async (request, reply) => {
    if (isApiPath(request.url)) reply.header('cache-control', 'no-store');
  });

  registerHealthRoutes(app, store);
  registerConfigRoutes(app, tiles);
  registerReadingRoutes(app, { store, now });
  const frontendFallback = registerFrontend(app, staticDir);

  app.setNotFoundHandler((request, reply) => {
    if (!isApiPath(request.url) && (request.method === 'GET' || request.method === 'HEAD')) return frontendFallback(request, reply);
    const path = request.url.split('?')[0];
    return reply.code(404).send({ error: `Rien à ${request.method} ${path}. Adresses de l’API : ${API_ROUTES}.` });
  });

  return app;
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}
