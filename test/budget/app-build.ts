import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProductionApp } from '../support/production-build.ts';

/**
 * A production build of the app with source maps, of its own: the e2e build is rewritten
 * by other projects' set-up while tests run, and a half-written one measures nothing.
 */
export async function productionBuild(): Promise<string> {
  const dist = await mkdtemp(join(tmpdir(), 'couverture-budget-'));
  await buildProductionApp(dist);
  return dist;
}
