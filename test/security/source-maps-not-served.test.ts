import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { openTestApp, useTempDir, type TestApp } from '../server/fixtures.ts';

/**
 * Finding: the production build keeps its source maps beside the scripts (vite's
 * `sourcemap: true`, which the size budget reads) and the server served them, handing anyone
 * the app's original source with its comments. They now answer 404 unless the operator asks
 * for them (SERVE_SOURCE_MAPS=1).
 */

const tempDir = useTempDir();
let dist: string;
let server: TestApp;
const MAP = '{"version":3,"sources":["../../src/app/main.tsx"],"sourcesContent":["// secret comment"]}';

beforeAll(() => {
  dist = join(tempDir(), 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Couverture</title>');
  writeFileSync(join(dist, 'assets', 'index-Bx3kq9Zs.js'), 'console.log(1);\n//# sourceMappingURL=index-Bx3kq9Zs.js.map');
  writeFileSync(join(dist, 'assets', 'index-Bx3kq9Zs.js.map'), MAP);
  writeFileSync(join(dist, 'sw.js.map'), MAP);
});

afterEach(async () => {
  await server.close();
});

it.each(['/assets/index-Bx3kq9Zs.js.map', '/assets/index-Bx3kq9Zs.js.map?v=1', '/assets/index-Bx3kq9Zs.js%2Emap', '/sw.js.map', '/assets/../sw.js.map'])(
  'answers %s with 404 by default, without the source',
  async (url) => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('secret comment');
    // The script itself is still served.
    expect((await server.app.inject({ method: 'GET', url: '/assets/index-Bx3kq9Zs.js' })).statusCode).toBe(200);
  },
);

it('serves them when the operator asks for them', async () => {
  server = await openTestApp(tempDir(), { staticDir: dist, serveSourceMaps: true });
  const response = await server.app.inject({ method: 'GET', url: '/assets/index-Bx3kq9Zs.js.map' });
  expect(response.statusCode).toBe(200);
  expect(response.body).toBe(MAP);
});
