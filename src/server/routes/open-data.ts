import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GridSettings, SecuritySettings } from '../config.ts';
import { verdictOptions } from '../grid/coverage.ts';
import { dataPackage, gridCsv, gridGeojson, gridTableSchema, publishedGrid } from '../grid/open-data.ts';
import { routeRateLimit } from '../security.ts';
import type { Store } from '../storage/store.ts';
import { singleValued } from './query.ts';

export interface OpenDataRoutesOptions {
  store: Store;
  grid: GridSettings;
  security: SecuritySettings;
  now: () => number;
}

/**
 * Open data is read from other origins too: a portal's page fetches the files from the
 * browser. Any origin may read every answer (errors and 429 included, so the page can show
 * why), never with credentials: the routes ignore them anyway. A GET without custom headers
 * is a CORS simple request, so no preflight (OPTIONS) is needed.
 */
async function readableFromAnyOrigin(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.header('access-control-allow-origin', '*');
  // Helmet's same-origin would make a browser drop the answer to another origin's page.
  reply.header('cross-origin-resource-policy', 'cross-origin');
  return payload;
}

/** Open data at stable URLs an open-data portal harvests: no account, no parameters. */
export function registerOpenDataRoutes(app: FastifyInstance, { store, grid, security, now }: OpenDataRoutesOptions): void {
  const options = verdictOptions(grid);
  const config = { config: routeRateLimit(security.rateLimits.publicReads), onSend: readableFromAnyOrigin };
  const noParameters = (query: unknown) => singleValued(query, []);

  app.get('/api/v1/open-data/grid.csv', config, async (request, reply) => {
    noParameters(request.query);
    const published = await publishedGrid(store, options, grid.openDataMinContributors);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'inline; filename="grid.csv"').send(gridCsv(published, options));
  });

  app.get('/api/v1/open-data/grid.geojson', config, async (request, reply) => {
    noParameters(request.query);
    const published = await publishedGrid(store, options, grid.openDataMinContributors);
    return reply.type('application/geo+json').send(gridGeojson(published, options, new Date(now()).toISOString()));
  });

  app.get('/api/v1/open-data/grid.schema.json', config, async (request) => {
    noParameters(request.query);
    return gridTableSchema();
  });

  app.get('/api/v1/open-data/datapackage.json', config, async (request) => {
    noParameters(request.query);
    const published = await publishedGrid(store, options, grid.openDataMinContributors);
    return dataPackage(new Date(now()).toISOString(), grid.openDataMinContributors, published);
  });
}
