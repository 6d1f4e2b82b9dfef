import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import type { PrecachedFile } from '../test/budget/precache-manifest.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * The service worker's precache by role (issue 19), beside the baseline of the same build:
 * every file the precache's patterns match (js, css, html, png, svg) and the web app
 * manifest, as before the split.
 * An agent or a resident gets the precache; a reviewer gets it too, then the chunks left out
 * as their screens open. Each figure decoded (kept on the phone) and brotli (on the wire).
 */
export async function precacheFigures(dist: string, precached: PrecachedFile[]): Promise<string> {
  const everything = await buildFiles(dist);
  const precachedUrls = new Set(precached.map((file) => file.url));
  const leftOut = everything.filter((file) => !precachedUrls.has(file.url));
  const sum = (files: { bytes: number; brotliBytes: number }[]) => {
    const bytes = files.reduce((total, file) => total + file.bytes, 0);
    const brotli = files.reduce((total, file) => total + file.brotliBytes, 0);
    return `${kb(bytes)} kept, ${kb(brotli)} brotli`;
  };
  return [
    'Service worker precache (from the build):',
    `  baseline, every file precached for every role: ${sum(everything)} (${everything.length} files)`,
    `  agent or resident, at install:                  ${sum(precached)} (${precached.length} files)`,
    `  reviewer, once every reviewers' screen opened:  ${sum([...precached, ...leftOut])} (+${leftOut.length} chunks on first use)`,
  ].join('\n');
}

async function buildFiles(dist: string): Promise<PrecachedFile[]> {
  const files: PrecachedFile[] = [];
  for (const entry of await readdir(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(js|css|html|png|svg|woff2|webmanifest)$/.test(entry.name) || entry.name === 'sw.js') continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path);
    const url = path.slice(dist.length + 1).replaceAll('\\', '/');
    files.push({ url, bytes: content.length, brotliBytes: /\.(png|woff2)$/.test(entry.name) ? content.length : brotliCompressSync(content).length });
  }
  return files;
}
