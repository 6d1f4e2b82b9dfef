import { build } from 'vite';
import { E2E_DIST } from './paths.ts';

/** The browser tests run the production build, service worker included, built once per run. */
export default async function setup(): Promise<void> {
  // Vitest sets NODE_ENV=test, and Vite derives import.meta.env.PROD from NODE_ENV: without
  // this the build would be a development one that never registers its service worker.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', mode: 'production', build: { outDir: E2E_DIST, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
