import type { FastifyInstance } from 'fastify';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import type { Reading } from '../../domain/reading.ts';
import { zoneDepartement } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { verdictOptions } from '../grid/coverage.ts';
import { dossierGeojson, dossierJson, readingsCsv, summarise, zoneEvidence, zonesCsv, zonesGeojson } from '../grid/zone-documents.ts';
import type { ReadingPlacement } from '../storage/reading-store.ts';
import type { Store } from '../storage/store.ts';
import { parsed } from './cells.ts';
import { departementQuery } from './query.ts';
import { zoneInScope } from './zones.ts';

export interface DossierRoutesOptions {
  store: Store;
  communes: Communes;
  grid: GridSettings;
  now: () => number;
}

/** Pages of readings read at a time for a zone's CSV. */
const PAGE = 5000;

/** A zone's dossier files, and the département's list of zones. */
export function registerDossierRoutes(app: FastifyInstance, { store, communes, grid, now }: DossierRoutesOptions): void {
  const options = verdictOptions(grid);
  const attachment = (name: string) => `attachment; filename="${name}"`;

  app.get<{ Params: { id: string } }>('/api/v1/zones/:id/dossier.geojson', async (request, reply) => {
    const zone = await zoneInScope(store, request.params.id, request.principal!.user, reply);
    if (!zone) return reply;
    const evidence = await zoneEvidence(store, zone, options);
    return reply
      .type('application/geo+json')
      .header('content-disposition', attachment(`zone-${zone.id}.geojson`))
      .send(dossierGeojson(evidence, summarise(evidence, options)));
  });

  app.get<{ Params: { id: string } }>('/api/v1/zones/:id/dossier.json', async (request, reply) => {
    const zone = await zoneInScope(store, request.params.id, request.principal!.user, reply);
    if (!zone) return reply;
    const evidence = await zoneEvidence(store, zone, options);
    return dossierJson(evidence, summarise(evidence, options), options, communes, new Date(now()).toISOString());
  });

  app.get<{ Params: { id: string } }>('/api/v1/zones/:id/readings.csv', async (request, reply) => {
    const zone = await zoneInScope(store, request.params.id, request.principal!.user, reply);
    if (!zone) return reply;
    const cells = zone.cells.map((id) => parseCellId(id)!);
    const rows: { reading: Reading; place: Pick<ReadingPlacement, 'commune'> }[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.readingsInCells({
        cells,
        limit: PAGE,
        scope: { kind: 'departement', departement: zone.departement },
        ...(cursor !== undefined && { cursor }),
      });
      page.readings.forEach((reading, i) => rows.push({ reading, place: page.places[i]! }));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment(`zone-${zone.id}-releves.csv`))
      .send(readingsCsv(rows));
  });

  for (const format of ['csv', 'geojson'] as const) {
    app.get(`/api/v1/zones.${format}`, async (request, reply) => {
      const query = parsed(reply, () => departementQuery(request.query as Record<string, string | string[]>));
      if (!query) return reply;
      const scope = zoneDepartement(request.principal!.user, query.departement, false);
      if ('error' in scope) return reply.code(scope.status).send({ error: scope.error });
      const zones = await store.listZones(scope.departement);
      const name = `zones-${scope.departement ?? 'france'}.${format}`;
      reply.header('content-disposition', attachment(name));
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(zonesCsv(zones));
      return reply.type('application/geo+json').send(zonesGeojson(zones));
    });
  }
}
