import type { FastifyInstance } from 'fastify';
import type { FieldSettings } from '../../domain/field-settings.ts';
import type { TileSettings } from '../config.ts';

/** GET /api/v1/config: what the page needs to know about this deployment (base map, field measurements). */
export function registerConfigRoutes(app: FastifyInstance, tiles: TileSettings, field: FieldSettings): void {
  app.get('/api/v1/config', async () => ({ tiles, field }));
}
