import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let dist: string;
let server: TestApp;

const INDEX = '<!doctype html><title>Couverture</title>';

beforeAll(() => {
  // What vite leaves in dist/, in miniature.
  dist = join(tempDir(), 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(dist, 'icons'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(dist, 'manifest.webmanifest'), '{"name":"Couverture"}');
  writeFileSync(join(dist, 'assets', 'index-Bx3kq9Zs.js'), 'console.log(1);');
  writeFileSync(join(dist, 'icons', 'icon-192.png'), 'png');
});

afterEach(async () => {
  await server.close();
});

describe('the built page', () => {
  it.each([
    ['/', 'text/html', 'no-cache'],
    ['/index.html', 'text/html', 'no-cache'],
    ['/sw.js', 'javascript', 'no-cache'],
    ['/manifest.webmanifest', 'manifest+json', 'no-cache'],
    ['/icons/icon-192.png', 'image/png', 'no-cache'],
    ['/assets/index-Bx3kq9Zs.js', 'javascript', 'public, max-age=31536000, immutable'],
  ])('serves %s as %s with Cache-Control: %s', async (url, type, cacheControl) => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain(type);
    expect(response.headers['cache-control']).toBe(cacheControl);
  });

  it.each(['/carte', '/releves/123', '/carte?lat=43'])('answers the app route %s with the page, not cached', async (url) => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(INDEX);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it.each(['/assets/index-old.js', '/favicon.ico'])('answers the missing file %s with 404, not the page', async (url) => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('<title>');
  });

  it('keeps unknown API routes JSON 404s', async () => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual(expect.any(String));
  });

  it('says how to build the page when it is missing, and still serves the API', async () => {
    server = await openTestApp(tempDir(), { staticDir: join(tempDir(), 'not-built') });
    const page = await server.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/plain/);
    expect(page.body).toContain('npm run build');
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });
});
