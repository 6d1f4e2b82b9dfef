import { buildProductionApp } from '../support/production-build.ts';
import { E2E_DIST } from './paths.ts';

const shared = globalThis as typeof globalThis & { couvertureE2eBuild?: Promise<void> };

/**
 * The browser tests run the production build, service worker included, built once per run:
 * the e2e and fault projects share this set-up, and a second build would rewrite the files
 * under the first project's feet.
 */
export default async function setup(): Promise<void> {
  shared.couvertureE2eBuild ??= buildProductionApp(E2E_DIST);
  await shared.couvertureE2eBuild;
}
