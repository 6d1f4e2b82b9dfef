import type { FastifyInstance } from 'fastify';
import type { TileSettings } from '../config.ts';

/** GET /api/v1/config: what the page needs to know about this deployment (its base map). */
export function registerConfigRoutes(app: FastifyInstance, tiles: TileSettings): void {
  app.get('/api/v1/config', async () => ({ tiles }));
}
