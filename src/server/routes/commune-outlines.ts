import type { FastifyInstance } from 'fastify';
import type { CommuneOutlines } from '../communes/outlines.ts';
import type { RateLimit } from '../config.ts';
import { routeRateLimit } from '../security.ts';

/** GET /api/v1/communes/:code/outline: the commune's outline, when the deployment has the contours (public). */
export function registerCommuneOutlineRoutes(app: FastifyInstance, outlines: CommuneOutlines | undefined, rateLimit: RateLimit): void {
  app.get<{ Params: { code: string } }>('/api/v1/communes/:code/outline', { config: routeRateLimit(rateLimit) }, async (request, reply) => {
    if (!outlines) {
      return reply.code(404).send({ error: 'Ce serveur n’a pas les contours des communes (COMMUNE_CONTOURS_FILE n’est pas configuré).' });
    }
    const { code } = request.params;
    const outline = outlines.get(code);
    if (outline === undefined) return reply.code(404).send({ error: `Pas de contour pour la commune « ${code} » : code INSEE inconnu de ce serveur.` });
    return reply.type('application/geo+json').send(outline);
  });
}
