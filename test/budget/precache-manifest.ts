import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';

export interface PrecachedFile {
  /** Path inside the build, `assets/index-….js`. */
  url: string;
  bytes: number;
  /** At brotli's default level: about what the app sends (it compresses harder, at build). */
  brotliBytes: number;
}

/**
 * The files the built service worker precaches at install, read from the manifest Workbox
 * injected into `sw.js` (`[{"revision":…,"url":…},…]`), each once, measured on disk.
 */
export async function precachedFiles(dist: string): Promise<PrecachedFile[]> {
  const worker = await readFile(join(dist, 'sw.js'), 'utf8');
  const manifest = worker.match(/\[\{"revision":[^\]]*\]/)?.[0];
  if (manifest === undefined) throw new Error(`No precache manifest in ${join(dist, 'sw.js')}: is it a production build?`);
  // The manifest's icons come twice (the glob and the web app manifest): Workbox caches a URL once.
  const urls = new Set((JSON.parse(manifest) as { url: string }[]).map(({ url }) => url));
  return Promise.all(
    [...urls].map(async (url) => {
      const content = await readFile(join(dist, url));
      const compressible = !/\.(png|woff2)$/.test(url);
      return { url, bytes: content.length, brotliBytes: compressible ? brotliCompressSync(content).length : content.length };
    }),
  );
}
