import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPILE_ALL_ON_LOAD } from '../../scripts/compile-hints.ts';
import { productionBuild } from './app-build.ts';
import { initialChunks, readChunk, type Chunk } from './initial-chunks.ts';

/**
 * Issue 19 (issue 7 had 50 KB gzipped): the survey screen's first JavaScript on a slow 3G
 * phone, brotli at its best level, as the build compresses it and the app sends it.
 */
const BUDGET_BYTES = 40 * 1024;
/** The entry chunk, and room for one runtime helper the bundler may split out. */
const MAX_INITIAL_SCRIPTS = 2;

/**
 * Code only some screens need, which must load when they open: the map (Leaflet), the
 * reviewers' screens, campaigns, file import/export. Matched against source-map paths.
 */
const LAZY: Record<string, RegExp[]> = {
  map: [/node_modules\/leaflet\//, /src\/app\/map\/LeafletMap\.tsx$/],
  review: [/src\/app\/review\//, /src\/app\/cells\/CoverageScreen\.tsx$/, /src\/app\/zones\/ZonesScreen\.tsx$/],
  campaigns: [/src\/app\/campaigns\/CampaignsScreen\.tsx$/, /src\/app\/campaigns\/CampaignMap\.tsx$/],
  files: [/src\/app\/files\//, /node_modules\/papaparse\//],
  // The first save's, loaded once the survey is drawn (src/app/survey/reading-schema-on-demand.ts):
  // valibot's functions and schemas are a sixth of what the entry chunk was (issue 19).
  schemas: [/node_modules\/valibot\//, /src\/domain\/reading-schema\.ts$/, /src\/domain\/campaign-schema\.ts$/],
};

let dist: string;
let initial: Chunk[];
let all: Chunk[];

beforeAll(async () => {
  dist = await productionBuild();
  initial = await initialChunks(dist);
  const files = (await readdir(join(dist, 'assets'))).filter((file) => file.endsWith('.js'));
  all = await Promise.all(files.map((file) => readChunk(dist, `assets/${file}`)));
}, 120_000);

afterAll(async () => {
  await rm(dist, { recursive: true, force: true });
});

describe('the survey screen’s initial JavaScript', () => {
  it(`stays within ${BUDGET_BYTES / 1024} KB brotli`, () => {
    const gzip = initial.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
    const raw = initial.reduce((sum, chunk) => sum + chunk.bytes, 0);
    const brotli = initial.reduce((sum, chunk) => sum + chunk.brotliBytes, 0);
    const lines = initial.map(
      (chunk) =>
        `  ${chunk.file.padEnd(40)}${(chunk.gzipBytes / 1024).toFixed(1).padStart(7)} KB gz${(chunk.brotliBytes / 1024).toFixed(1).padStart(7)} KB br${(chunk.bytes / 1024).toFixed(1).padStart(8)} KB`,
    );
    console.log(
      `Initial JavaScript: ${(brotli / 1024).toFixed(1)} KB brotli as the app sends it, ${(gzip / 1024).toFixed(1)} KB gzipped ` +
        `(${(raw / 1024).toFixed(1)} KB raw) in ${initial.length} chunks, budget ${BUDGET_BYTES / 1024} KB brotli\n${lines.join('\n')}`,
    );
    // The entry is in the set: an empty set would pass any budget.
    expect(initial.some((chunk) => chunk.sources.some((source) => source.endsWith('src/app/main.tsx')))).toBe(true);
    expect(brotli).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  // On slow 3G every request waits a 400 ms round trip and six go at once at most: the first
  // screen's code comes in one script (vite.config.ts), not in a chain of small shared chunks.
  it(`arrives in at most ${MAX_INITIAL_SCRIPTS} scripts`, () => {
    expect(initial.length, initial.map((chunk) => chunk.file).join(', ')).toBeLessThanOrEqual(MAX_INITIAL_SCRIPTS);
  });

  // Its functions compiled with the script, off the main thread, not one by one when first
  // called at every start (scripts/compile-hints.ts, issue 19).
  it('opens the entry chunk with V8’s compile hint, the source map moved down with it', async () => {
    const entry = initial.find((chunk) => chunk.sources.some((source) => source.endsWith('src/app/main.tsx')))!;
    const code = await readFile(join(dist, entry.file), 'utf8');
    expect(code.split('\n', 1)[0]).toBe(COMPILE_ALL_ON_LOAD);
    const map = JSON.parse(await readFile(join(dist, `${entry.file}.map`), 'utf8')) as { mappings: string };
    expect(map.mappings.startsWith(';'), 'the hint’s line has no mappings').toBe(true);
  });

  for (const [feature, patterns] of Object.entries(LAZY)) {
    it(`leaves the ${feature} code to a chunk loaded on demand`, () => {
      const holds = (chunk: Chunk, pattern: RegExp) => chunk.sources.some((source) => pattern.test(source));
      for (const pattern of patterns) {
        // Present in the build, so that a renamed module cannot make this pass by absence.
        expect(
          all.filter((chunk) => holds(chunk, pattern)).map((chunk) => chunk.file),
          `${pattern} in some chunk`,
        ).not.toEqual([]);
        expect(
          initial.filter((chunk) => holds(chunk, pattern)).map((chunk) => chunk.file),
          `${pattern} in the initial chunks`,
        ).toEqual([]);
      }
    });
  }
});
