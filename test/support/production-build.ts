import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds the app as it ships (service worker included) into `outDir`. Vitest sets
 * NODE_ENV=test, and Vite derives import.meta.env.PROD from NODE_ENV: without the switch the
 * build would be a development one that never registers its service worker.
 */
export async function buildProductionApp(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
