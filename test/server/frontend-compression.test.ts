import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compressBeside } from '../../scripts/precompress.ts';
import { openTestApp, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let dist: string;
let server: TestApp;

const SCRIPT = 'assets/index-Bx3kq9Zs.js';
const TINY = 'assets/operators-Bds5X6E3.js';

beforeAll(async () => {
  // What the build leaves in dist/: text files with their .br and .gz copies beside them.
  dist = join(tempDir(), 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  const lines = Array.from({ length: 400 }, (_, i) => `export const relevé${i} = { opérateur: "Orange", barres: ${i % 5} };`);
  writeFileSync(join(dist, SCRIPT), lines.join('\n'));
  writeFileSync(join(dist, TINY), 'export const a = 1;');
  writeFileSync(join(dist, 'index.html'), `<!doctype html><title>Couverture</title>${'<!-- gabarit -->'.repeat(100)}`);
  await Promise.all([SCRIPT, TINY, 'index.html'].map((file) => compressBeside(join(dist, file))));
});

afterEach(async () => {
  await server.close();
});

function original(file: string): Buffer {
  return readFileSync(join(dist, file));
}

describe('compressed files made at build', () => {
  it('sends a script brotli-compressed to a browser that accepts it, the same bytes once decoded', async () => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url: `/${SCRIPT}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.rawPayload.length).toBeLessThan(original(SCRIPT).length / 4);
    expect(brotliDecompressSync(response.rawPayload).equals(original(SCRIPT))).toBe(true);
  });

  it('sends gzip to a browser that takes gzip only', async () => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url: `/${SCRIPT}`, headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(response.rawPayload).equals(original(SCRIPT))).toBe(true);
  });

  it('sends the plain file to a client that accepts no encoding, still saying the answer varies', async () => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url: `/${SCRIPT}`, headers: { 'accept-encoding': 'identity' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.rawPayload.equals(original(SCRIPT))).toBe(true);
  });

  it('sends a file too small to gain from compression as it is', async () => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url: `/${TINY}`, headers: { 'accept-encoding': 'br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.rawPayload.equals(original(TINY))).toBe(true);
  });

  it.each(['/', '/carte'])('sends the page for %s compressed too', async (url) => {
    server = await openTestApp(tempDir(), { staticDir: dist });
    const response = await server.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(response.rawPayload).equals(original('index.html'))).toBe(true);
  });
});
