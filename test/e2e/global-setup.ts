import { buildProductionApp } from '../support/production-build.ts';
import { E2E_DIST } from './paths.ts';

/** The browser tests run the production build, service worker included, built once per run. */
export default async function setup(): Promise<void> {
  await buildProductionApp(E2E_DIST);
}
