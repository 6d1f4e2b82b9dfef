import type { FastifyInstance } from 'fastify';
import type { FieldSettings } from '../../domain/field-settings.ts';
import type { TileSourcesConfig } from '../../domain/tile-source.ts';
import { legacyTileSettings } from '../tile-sources.ts';

/**
 * GET /api/v1/config: what the page needs to know about this deployment (base maps, field
 * measurements). `tiles` repeats the default source in the shape pages before tileSources read.
 */
export function registerConfigRoutes(app: FastifyInstance, tileSources: TileSourcesConfig, field: FieldSettings): void {
  const answer = { tiles: legacyTileSettings(tileSources), tileSources, field };
  app.get('/api/v1/config', async () => answer);
}
