import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../support/server-process.ts';
import { useTempDir } from './fixtures.ts';

const tempDir = useTempDir();

function startMain(env: Record<string, string>) {
  return startServerProcess({ STATIC_DIR: join(tempDir(), 'no-dist'), ...env });
}

describe('src/server/main.ts', () => {
  it('serves on the configured port, then shuts down cleanly on SIGTERM', { timeout: 30_000 }, async () => {
    const dataDir = join(tempDir(), 'data');
    const server = startMain({ PORT: '0', DATA_DIR: dataDir });
    const { output } = server;
    const url = await server.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const health = await fetch(new URL('api/v1/health', url));
    expect(await health.json()).toEqual({ status: 'ok' });

    expect(await server.stop()).toBe(0);
    expect(output.stderr).toBe('');
    expect(existsSync(join(dataDir, 'couverture.sqlite'))).toBe(true);
  });

  it('explains a bad PORT in one message, without a stack trace, and exits with 1', { timeout: 30_000 }, async () => {
    const { child, output } = startMain({ PORT: 'huit-mille', DATA_DIR: join(tempDir(), 'unused') });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output.stderr).toBe('Configuration invalide :\n- PORT=« huit-mille » : attendu un entier de 0 à 65535\n');
  });
});
