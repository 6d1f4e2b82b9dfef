import type { FastifyInstance } from 'fastify';
import type { CsvDialect } from '../../domain/csv.ts';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import type { Reading } from '../../domain/reading.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { zoneDepartement } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { verdictOptions } from '../grid/coverage.ts';
import { dossierGeojson, dossierJson, readingsCsv, summarise, zoneEvidence, zonesCsv, zonesGeojson } from '../grid/zone-documents.ts';
import type { ReadingPlacement } from '../storage/reading-store.ts';
import type { Store } from '../storage/store.ts';
import { csvFileName, csvFormatQuery } from './csv-format.ts';
import { departementQuery, singleValued } from './query.ts';
import { zoneAnswer, zoneInScope } from './zones.ts';
import { zoneBeforeAfter } from '../grid/zone-before-after.ts';
import { peopleStatement } from '../../domain/population.ts';
import { deadlineText } from '../../domain/zone-follow-up.ts';

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
    const zone = await zoneInScope(store, request.params.id, requirePrincipal(request).user);
    const evidence = await zoneEvidence(store, zone, options);
    return reply
      .type('application/geo+json')
      .header('content-disposition', attachment(`zone-${zone.id}.geojson`))
      .send(dossierGeojson(evidence, summarise(evidence, options), options));
  });

  app.get<{ Params: { id: string } }>('/api/v1/zones/:id/dossier.json', async (request) => {
    const zone = await zoneInScope(store, request.params.id, requirePrincipal(request).user);
    const evidence = await zoneEvidence(store, zone, options);
    const generatedAt = new Date(now()).toISOString();
    const answer = await zoneAnswer(store, zone);
    const beforeAfter = await zoneBeforeAfter(store, zone, options);
    return {
      ...dossierJson(evidence, summarise(evidence, options), options, communes, generatedAt),
      // What the équipe projet weighs beside the measurements: who lives there, what is to cover, the deadline.
      zone: answer,
      peopleStatement: peopleStatement(answer.people),
      deadlineText: deadlineText(zone.followUp, generatedAt.slice(0, 10)),
      ...(beforeAfter && { beforeAfter }),
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/zones/:id/readings.csv', async (request, reply) => {
    const raw = request.query as Record<string, string | string[]>;
    singleValued(raw, ['format']);
    const query = { dialect: csvFormatQuery(raw).dialect };
    const zone = await zoneInScope(store, request.params.id, requirePrincipal(request).user);
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
      .header('content-disposition', attachment(csvFileName(`zone-${zone.id}-releves`, query.dialect)))
      .send(readingsCsv(rows, query.dialect));
  });

  for (const format of ['csv', 'geojson'] as const) {
    app.get(`/api/v1/zones.${format}`, async (request, reply) => {
      const query = exportQuery(format, request.query as Record<string, string | string[]>);
      const scope = zoneDepartement(requirePrincipal(request).user, query.departement, false);
      const zones = await store.listZones(scope.departement);
      const base = `zones-${scope.departement ?? 'france'}`;
      reply.header('content-disposition', attachment(format === 'csv' ? csvFileName(base, query.dialect) : `${base}.geojson`));
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(zonesCsv(zones, query.dialect));
      return reply.type('application/geo+json').send(zonesGeojson(zones));
    });
  }
}

/** The CSV also takes ?format=tableur (csv-format.ts); the GeoJSON has one form. */
function exportQuery(format: 'csv' | 'geojson', raw: Record<string, string | string[]>): { departement?: string; dialect: CsvDialect } {
  if (format === 'geojson') return { ...departementQuery(raw), dialect: 'machine' };
  singleValued(raw, ['departement', 'format']);
  const { dialect, rest } = csvFormatQuery(raw);
  return { ...departementQuery(rest), dialect };
}
