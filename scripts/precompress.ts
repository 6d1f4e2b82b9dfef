import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text the browser fetches; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest)$/;
/** Below this, the headers cost more than compression saves. */
const MIN_BYTES = 1024;

/**
 * Writes `file.br` and `file.gz` beside each text file of the build, compressed once at their
 * best level, for the server's static files (`preCompressed`, src/server/frontend.ts) to send
 * to browsers that accept them. A variant no smaller than the original is not written: the
 * server then sends the file as it is. Source maps are left alone (served only in development).
 */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'couverture-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((file) => COMPRESSIBLE.test(file));
      await Promise.all(files.map((file) => compressBeside(join(outDir, file))));
    },
  };
}

export async function compressBeside(path: string): Promise<void> {
  const original = await readFile(path);
  if (original.length < MIN_BYTES) return;
  const brotli = brotliCompressSync(original, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: original.length },
  });
  const gzip = gzipSync(original, { level: 9 });
  await Promise.all([
    brotli.length < original.length ? writeFile(`${path}.br`, brotli) : undefined,
    gzip.length < original.length ? writeFile(`${path}.gz`, gzip) : undefined,
  ]);
}
