import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ANSWERS } from '../../src/domain/api/index.ts';
import { checkAnswersAgainstContract, openTestApp, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;

beforeAll(async () => {
  server = await openTestApp(tempDir());
  await server.app.ready();
});
afterAll(() => server.close());

describe('the API contract (src/domain/api/)', () => {
  it('names only routes the server has', () => {
    const missing = Object.keys(API_ANSWERS).filter((key) => {
      const [method, url] = key.split(' ') as [string, string];
      return !server.app.hasRoute({ method: method as 'GET', url });
    });
    expect(missing).toEqual([]);
  });

  it('turns an answer that strays from it into a 500 naming the route and the field, in every server test', async () => {
    const app = Fastify();
    checkAnswersAgainstContract(app);
    app.get('/api/v1/health', async () => ({ status: 'presque' }));
    const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error).toMatch(/^Réponse hors contrat \(src\/domain\/api\/\) de GET \/api\/v1\/health : status : /);
    await app.close();
  });
});
