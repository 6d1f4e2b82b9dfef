/**
 * `npm start`: builds the app when dist/ is missing or older than its sources, then serves it
 * with the API. One command from a fresh clone (after `npm ci`) to a running Couverture.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const SOURCES = [
  'index.html',
  'vite.config.ts',
  'package-lock.json',
  'public',
  'service-worker',
  'src/app',
  'src/domain',
  'src/store',
  'src/sync',
  'src/worker',
];
const BUILT = 'dist/index.html';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const staticDir = process.env.STATIC_DIR;
if (!staticDir) {
  const builtAt = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
  if (Math.max(...SOURCES.map(newestMtime)) > builtAt) {
    console.log(builtAt ? 'Sources modifiées : reconstruction de l’application…' : 'Première construction de l’application…');
    await build({ logLevel: 'warn' });
  }
}

await import('../src/server/main.ts');
