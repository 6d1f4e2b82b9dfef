import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/server/storage/store.ts';
import { customTileSource, OSM, PLAN_IGN } from '../../src/server/tile-sources.ts';
import { addUser, makeReading, openTestApp, postReadings, TEST_PASSWORD, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy that allows the tile server’s images and fetches', async () => {
    const dist = join(tempDir(), 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Couverture</title>');
    server = await openTestApp(tempDir(), { staticDir: dist });
    for (const url of ['/', '/api/v1/health']) {
      const response = await server.app.inject({ method: 'GET', url });
      const csp = response.headers['content-security-policy'] as string;
      const directives = Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values.join(' ')]),
      );
      expect(directives).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'img-src': "'self' data: http://127.0.0.1:9",
        'font-src': "'self'",
        'connect-src': "'self' http://127.0.0.1:9",
        'worker-src': "'self'",
        'manifest-src': "'self'",
        'object-src': "'none'",
        'frame-ancestors': "'none'",
        'base-uri': "'self'",
        'form-action': "'self'",
      });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('allows every offered tile source’s origin, once each, for images and fetches (pre-downloads, service worker)', async () => {
    const local = { ...customTileSource({ url: '/tuiles/{z}/{x}/{y}.png', attribution: 'local', maxZoom: 18 }), id: 'local' };
    const osmMirror = { ...OSM, id: 'osm-bis', url: 'https://tile.openstreetmap.org/bis/{z}/{x}/{y}.png' };
    server = await openTestApp(tempDir(), { tileSources: { sources: [PLAN_IGN, OSM, osmMirror, local], defaultSourceId: 'plan-ign' } });
    const csp = (await server.app.inject({ method: 'GET', url: '/api/v1/health' })).headers['content-security-policy'] as string;
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `));
    expect(directive('img-src')).toBe("img-src 'self' data: https://data.geopf.fr https://tile.openstreetmap.org");
    expect(directive('connect-src')).toBe("connect-src 'self' https://data.geopf.fr https://tile.openstreetmap.org");
  });
});

describe('error bodies and logs', () => {
  it('never puts a stack trace or SQL in an error body, and logs no client address', async () => {
    const lines: string[] = [];
    const healthy = await openTestApp(tempDir());
    const admin = await addUser(healthy.app, { role: 'admin' });
    const broken: Store = {
      ...healthy.store,
      ingest: () => Promise.reject(new Error('SQLITE_CORRUPT: INSERT INTO readings failed')),
    };
    server = await openTestApp(tempDir(), { store: broken, logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    const failing = server;
    server = { ...failing, close: async () => (await failing.app.close(), await healthy.close()) };

    const response = await postReadings(server.app, [makeReading()], admin);
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('{"error":"Erreur interne du serveur"}');
    await server.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: '203.0.113.7', payload: { email: admin.email, password: TEST_PASSWORD } });

    const log = lines.join('');
    expect(log).toContain('SQLITE_CORRUPT'); // the operator still learns what broke
    expect(log).toContain('"url":"/api/v1/session"');
    expect(log).not.toMatch(/203\.0\.113\.7|127\.0\.0\.1|remoteAddress|remotePort/);
    expect(log).not.toContain(TEST_PASSWORD);
    expect(log).not.toContain(admin.headers.cookie!.split('=')[1]);
  });
});
