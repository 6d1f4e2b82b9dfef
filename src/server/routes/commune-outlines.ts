import type { FastifyInstance } from 'fastify';
import type { Communes } from '../communes/communes.ts';
import type { CommuneOutlines } from '../communes/outlines.ts';
import type { RateLimit } from '../config.ts';
import { HttpError } from '../http-errors.ts';
import { routeRateLimit } from '../security.ts';
import type { Store } from '../storage/store.ts';

export interface CommuneOutlineRoutesOptions {
  store: Store;
  communes: Communes;
  /** Outlines answered before the database's (tests give a few without loading them). */
  outlines?: CommuneOutlines;
  rateLimit: RateLimit;
}

/**
 * GET /api/v1/communes/:code/outline (public): the commune's outline as a GeoJSON Feature,
 * from the outlines loaded in the database (`npm run communes`), read at each request so that
 * a load shows at once in every process. A commune made of communes merged since the file's
 * edition answers its pieces as one MultiPolygon.
 */
export function registerCommuneOutlineRoutes(app: FastifyInstance, { store, communes, outlines, rateLimit }: CommuneOutlineRoutesOptions): void {
  app.get<{ Params: { code: string } }>('/api/v1/communes/:code/outline', { config: routeRateLimit(rateLimit) }, async (request, reply) => {
    const { code } = request.params;
    const given = outlines?.get(code);
    if (given !== undefined) return reply.type('application/geo+json').send(given);
    const commune = communes.get(code);
    if (!commune) throw new HttpError(404, `Pas de contour pour la commune « ${code} » : code INSEE inconnu de ce serveur.`);
    const pieces = await store.communeOutlinePieces(code);
    if (pieces.length === 0) {
      throw new HttpError(
        404,
        `Pas de contour pour ${commune.name} (${code}) : ce serveur n’a pas les contours du département ${commune.departement} (npm run communes -- fetch --departement ${commune.departement}).`,
      );
    }
    const geometries = pieces.map((piece) => JSON.parse(piece.geometry) as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] });
    const geometry =
      geometries.length === 1
        ? geometries[0]!
        : { type: 'MultiPolygon', coordinates: geometries.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)) };
    const feature = { type: 'Feature', geometry, properties: { code, nom: commune.name } };
    return reply.type('application/geo+json').send(JSON.stringify(feature));
  });
}
