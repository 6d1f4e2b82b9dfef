import type { FastifyInstance } from 'fastify';
import { HealthAnswerSchema } from '../../domain/api/index.ts';
import type { ReadingStore } from '../storage/reading-store.ts';
import { answer } from './answer.ts';

/**
 * GET /api/v1/health. The phone calls it before it calls itself online, so it answers only
 * when a reading could really be stored: the store must answer a query.
 */
export function registerHealthRoutes(app: FastifyInstance, store: ReadingStore): void {
  app.get('/api/v1/health', async (request, reply) => {
    try {
      await store.query({ limit: 1 });
    } catch (error) {
      request.log.error({ err: error }, 'health check: the store does not answer');
      return reply.code(503).send({ status: 'unavailable', error: 'La base de données ne répond pas : réessayez plus tard.' });
    }
    return answer(HealthAnswerSchema, { status: 'ok' });
  });
}
