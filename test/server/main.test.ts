import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './fixtures.ts';

const tempDir = useTempDir();
const MAIN = new URL('../../src/server/main.ts', import.meta.url).pathname;

/** `tsx src/server/main.ts` as an operator runs it, with its output collected. */
function startMain(env: Record<string, string>): { child: ChildProcess; output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, STATIC_DIR: join(tempDir(), 'no-dist'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk));
  return { child, output };
}

describe('src/server/main.ts', () => {
  it('serves on the configured port, then shuts down cleanly on SIGTERM', { timeout: 30_000 }, async () => {
    const dataDir = join(tempDir(), 'data');
    const { child, output } = startMain({ PORT: '0', DATA_DIR: dataDir });
    const exited = once(child, 'exit');

    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const announced = /en service sur (http:\/\/\S+)/.exec(output.stdout);
        if (announced) resolve(announced[1]!);
      });
      child.on('exit', () => reject(new Error(`main.ts exited before listening: ${output.stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const health = await fetch(new URL('api/v1/health', url));
    expect(await health.json()).toEqual({ status: 'ok' });

    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
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
