import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Chunk {
  /** Path inside the build, `assets/index-….js`. */
  file: string;
  bytes: number;
  /** gzip at zlib's default level, what a compressing server or proxy sends. */
  gzipBytes: number;
  /** brotli at its best level, as the build compresses it and the app sends it (scripts/precompress.ts). */
  brotliBytes: number;
  /** The source modules bundled into it, from its source map (paths as the map gives them). */
  sources: string[];
}

/**
 * The JavaScript a first visit must load before the app can run: the module scripts and
 * modulepreloads index.html names, plus every chunk they import statically, transitively.
 * Dynamic imports (the lazy screens) go through Vite's preload helper with `assets/…`
 * strings and are left out: they are what the budget wants kept out of this set.
 */
export async function initialChunks(dist: string): Promise<Chunk[]> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const named = [
    ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="\/([^"]+\.js)"/g)].map((match) => match[1]!),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="\/([^"]+\.js)"/g)].map((match) => match[1]!),
  ];
  if (named.length === 0) throw new Error(`No module script in ${join(dist, 'index.html')}: is it a production build?`);
  const seen = new Set<string>();
  const chunks: Chunk[] = [];
  const queue = [...named];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const chunk = await readChunk(dist, file);
    chunks.push(chunk);
    const code = await readFile(join(dist, file), 'utf8');
    // Minified static imports: `import{a as b}from"./x.js"`, `export*from"./x.js"`, `import"./x.js"`.
    for (const match of code.matchAll(/\b(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g)) queue.push(posix.join(posix.dirname(file), match[1]!));
  }
  return chunks;
}

/** One built chunk, measured, with the modules its source map says it holds. */
export async function readChunk(dist: string, file: string): Promise<Chunk> {
  const code = await readFile(join(dist, file));
  let sources: string[] = [];
  try {
    sources = (JSON.parse(await readFile(join(dist, `${file}.map`), 'utf8')) as { sources: string[] }).sources;
  } catch {
    // A chunk without a map (vite's tiny runtime helper) holds no module of ours.
  }
  const brotliBytes = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length;
  return { file, bytes: code.length, gzipBytes: gzipSync(code).length, brotliBytes, sources };
}
