import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';
import { startServerProcess } from '../support/server-process.ts';
import { useTempDir } from '../server/fixtures.ts';

/**
 * Finding: TRUST_PROXY=true made fastify believe the first address of X-Forwarded-For, which
 * the client writes itself: nginx appends the real address to whatever the client sent, so
 * even behind the proxy anyone could choose the address the rate limits count, and send
 * reports or try passwords without limit. The server now refuses to start with
 * TRUST_PROXY=true and says what to give instead: the number of proxies in front of it
 * (TRUST_PROXY=1 behind one nginx) or their addresses.
 */

const tempDir = useTempDir();

it('the configuration refuses TRUST_PROXY=true and points to a hop count or the proxies’ addresses', () => {
  for (const raw of ['true', ' true ']) {
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY=true .*X-Forwarded-For.*TRUST_PROXY=1 pour un seul proxy inverse.*adresses/);
  }
  // What it should be instead is accepted.
  expect(loadConfig({ TRUST_PROXY: '1' }).security.trustProxy).toBe(1);
  expect(loadConfig({ TRUST_PROXY: '127.0.0.1' }).security.trustProxy).toBe('127.0.0.1');
});

it('the server does not start with TRUST_PROXY=true: one French message, exit status 1', { timeout: 30_000 }, async () => {
  const server = startServerProcess({ TRUST_PROXY: 'true', PORT: '0', DATA_DIR: join(tempDir(), 'unused') });
  try {
    await expect(server.listening).rejects.toThrow(/exited before listening/);
  } finally {
    // Stopped either way: a server that did start must not outlive the test.
    expect(await server.stop()).toBe(1);
  }
  expect(server.output.stderr).toMatch(/^Configuration invalide :\n- TRUST_PROXY=true .*TRUST_PROXY=1 pour un seul proxy inverse/);
});
