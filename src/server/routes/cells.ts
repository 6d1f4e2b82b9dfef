import type { FastifyInstance } from 'fastify';
import { readingFeature } from '../../domain/geojson.ts';
import { cellCentre } from '../../domain/grid/cell-geometry.ts';
import { parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { gridScope, readingScope } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { peopleInCells } from '../grid/cell-people.ts';
import { declaredInCells, declaredProperties } from '../grid/declared-coverage.ts';
import { apiCellFeature, cellRange, judgeInBbox, loadGrid, MAX_CELLS_PER_REQUEST, verdictOptions } from '../grid/coverage.ts';
import type { ReadingPage } from '../storage/reading-store.ts';
import type { Store } from '../storage/store.ts';
import { GRID_PARAMS, parseGridView, type GridView } from './grid-params.ts';
import { badRequest } from '../http-errors.ts';
import { sendRevalidated } from '../http-validators.ts';
import { cursorRefused, parseLimit, singleValued } from './query.ts';

export interface CellRoutesOptions {
  store: Store;
  communes: Communes;
  grid: GridSettings;
}

const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 5000;

export function tooManyCells(view: GridView, cells: number): string {
  const km2 = Math.round((cells * view.resolutionM * view.resolutionM) / 1e6);
  return (
    `Zone trop grande pour des mailles de ${view.resolutionM} m (${Math.round(cells)} mailles, environ ${km2} km² ; ` +
    `au plus ${MAX_CELLS_PER_REQUEST}) : réduisez la bbox ou demandez une maille plus grande (resolution=1000, 2000, 5000 ou 10000).`
  );
}

/** GET /api/v1/cells (the coverage grid as GeoJSON) and GET /api/v1/cells/:cellId/readings. */
export function registerCellRoutes(app: FastifyInstance, { store, communes, grid }: CellRoutesOptions): void {
  const options = verdictOptions(grid);
  const departementOf = (code: string) => communes.get(code)?.departement;

  /** The commune a cell is named after on the reviewers' screens: the one its centre lies in, as readings are placed. */
  const communeAtCentre = (ref: CellRef): { code: string; name: string } | null => {
    const [lon, lat] = cellCentre(ref);
    const code = communes.locate(lat, lon)?.commune;
    const found = code ? communes.get(code) : undefined;
    return found ? { code: found.code, name: found.name } : null;
  };

  app.get('/api/v1/cells', async (request, reply) => {
    const view = parseGridView(singleValued(request.query, GRID_PARAMS));
    const range = cellRange(view.bbox, view.resolutionM);
    const empty = { type: 'FeatureCollection', features: [] };
    if (!range) return reply.type('application/geo+json').send(empty);
    if (range.cells > MAX_CELLS_PER_REQUEST) throw badRequest(tooManyCells(view, range.cells));
    const scope = gridScope(requirePrincipal(request).user, departementOf);
    if (scope.kind === 'departements' && scope.departements.length === 0) return reply.type('application/geo+json').send(empty);

    const coverage = await loadGrid(store, {
      range,
      scope,
      filter: view.filter,
      ...(view.fromMonth && { fromMonth: view.fromMonth }),
      ...(view.toMonth && { toMonth: view.toMonth }),
    });
    const cells = judgeInBbox(coverage, view.filter, options, view.bbox);
    const people = await peopleInCells(
      store,
      cells.map((judged) => judged.ref),
    );
    const declared = await declaredInCells(
      store,
      cells.map((judged) => judged.ref),
      view.filter,
    );
    const features = cells.map((judged, i) => {
      const feature = apiCellFeature(judged, options);
      const { inhabitants = null, households = null } = people[i] ?? {};
      const declaredNow = declaredProperties(declared[i], feature.properties.operators);
      return { ...feature, properties: { ...feature.properties, commune: communeAtCentre(judged.ref), inhabitants, households, ...declaredNow } };
    });
    return sendRevalidated(request, reply, 'application/geo+json', JSON.stringify({ type: 'FeatureCollection', features }));
  });

  app.get<{ Params: { cellId: string } }>('/api/v1/cells/:cellId/readings', async (request, reply) => {
    const cell = parseCellId(request.params.cellId);
    if (!cell || cell.resolutionM % 200 !== 0) {
      throw badRequest(
        `Maille inconnue : « ${request.params.cellId} » ; attendu un identifiant INSPIRE de maille de 200 m ou d’un multiple (ex. CRS3035RES200mN2029800E4252000).`,
      );
    }
    const raw = singleValued(request.query, ['limit', 'cursor']);
    const params = { limit: raw.limit === undefined ? DEFAULT_PAGE_SIZE : parseLimit(raw.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), cursor: raw.cursor };
    let page: ReadingPage;
    try {
      page = await store.readingsInCells({
        cells: [cell],
        limit: params.limit,
        scope: readingScope(requirePrincipal(request).user),
        ...(params.cursor !== undefined && { cursor: params.cursor }),
      });
    } catch (error) {
      throw cursorRefused(error, params.cursor);
    }
    return reply.type('application/geo+json').send({
      type: 'FeatureCollection',
      features: page.readings.map((reading, i) => {
        const feature = readingFeature(reading);
        return { ...feature, properties: { ...feature.properties, ...page.places[i]! } };
      }),
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    });
  });
}
