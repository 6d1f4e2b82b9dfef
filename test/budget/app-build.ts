import { existsSync } from 'node:fs';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { E2E_DIST } from '../e2e/paths.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Everything a build is made from: a build older than any of these may not be this code's. */
const INPUTS = ['src', 'service-worker', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'];

/**
 * A production build of the app with source maps: the e2e tests' build when it is newer
 * than every input (in `npm test` their global setup has just made it), else a fresh one
 * in a temporary folder, so that a stale build is never measured.
 */
export async function productionBuild(): Promise<{ dist: string; reused: boolean }> {
  if (existsSync(join(E2E_DIST, 'index.html')) && (await stat(join(E2E_DIST, 'index.html'))).mtimeMs >= (await newestInput())) {
    return { dist: E2E_DIST, reused: true };
  }
  const dist = await mkdtemp(join(tmpdir(), 'couverture-budget-'));
  // Vitest sets NODE_ENV=test, which would make a development build (see test/e2e/global-setup.ts).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, logLevel: 'warn', mode: 'production', build: { outDir: dist, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return { dist, reused: false };
}

async function newestInput(): Promise<number> {
  let newest = 0;
  for (const input of INPUTS) {
    const path = join(ROOT, input);
    if (!existsSync(path)) continue;
    const info = await stat(path);
    newest = Math.max(newest, info.mtimeMs);
    if (!info.isDirectory()) continue;
    for (const entry of await readdir(path, { recursive: true })) newest = Math.max(newest, (await stat(join(path, entry))).mtimeMs);
  }
  return newest;
}
