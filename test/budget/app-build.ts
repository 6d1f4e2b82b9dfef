import { existsSync } from 'node:fs';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E_DIST } from '../e2e/paths.ts';
import { buildProductionApp } from '../support/production-build.ts';

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
  await buildProductionApp(dist);
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
