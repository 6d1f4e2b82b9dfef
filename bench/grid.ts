/**
 * `npx tsx bench/grid.ts [N]` (or BENCH_GRID_N=N): how fast the coverage grid aggregates
 * readings (src/domain/grid), against two baselines measured in the same run on the same
 * readings: projecting each position alone, and a plain loop counting readings per cell id.
 * Then what follows aggregation: merging, judging every cell, suggesting zones, GeoJSON.
 *
 * N readings (default 1,000,000) are generated over the Hérault département, four operators:
 * 90 % of them around 2,000 survey spots (villages, roads: σ = 400 m), 10 % anywhere, so that
 * cells get the handful of readings per operator a verdict needs, as real surveys give them.
 */
import {
  addReading,
  cellAt,
  cellIdAt,
  cellsFeatureCollection,
  createGrid,
  judgeGrid,
  mergeGrid,
  suggestZones,
  type CoverageGrid,
  type GridReading,
} from '../src/domain/grid/index.ts';
import { OPERATORS } from '../src/domain/operators.ts';

const HERAULT = { minLon: 2.54, minLat: 43.21, maxLon: 4.19, maxLat: 43.97 };
const SPOTS = 2_000;
const AGENTS = 300;

const count = Number(process.argv[2] ?? process.env.BENCH_GRID_N ?? 1_000_000);
if (!Number.isInteger(count) || count < 1000) {
  console.error(`Readings to generate: expected an integer ≥ 1000, got ${process.argv[2] ?? process.env.BENCH_GRID_N}`);
  process.exit(1);
}

// A seeded generator, so that two runs measure the same readings.
let seed = 20_260_504;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const between = (min: number, max: number) => min + random() * (max - min);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

interface Spot {
  lon: number;
  lat: number;
  /** Per operator, the typical 4G RSRP there: some spots are zones blanches or grises. */
  base: number[];
  agents: string[];
}

function generate(n: number): { readings: GridReading[]; contributors: string[] } {
  const spots: Spot[] = Array.from({ length: SPOTS }, () => ({
    lon: between(HERAULT.minLon, HERAULT.maxLon),
    lat: between(HERAULT.minLat, HERAULT.maxLat),
    base: OPERATORS.map(() => between(-135, -80)),
    agents: Array.from({ length: 1 + Math.floor(random() * 3) }, () => `agent-${Math.floor(random() * AGENTS)}`),
  }));
  const times = Array.from({ length: 5_000 }, (_, i) => new Date(Date.parse('2026-01-05T08:00:00Z') + i * 1_700_000).toISOString().replace('Z', '+01:00'));
  const readings: GridReading[] = new Array(n);
  const contributors: string[] = new Array(n);
  const metresPerDegreeLat = 111_320;
  const metresPerDegreeLon = 111_320 * Math.cos((43.6 * Math.PI) / 180);
  for (let i = 0; i < n; i += 1) {
    const spot = pick(spots);
    const anywhere = random() < 0.1;
    const lon = anywhere ? between(HERAULT.minLon, HERAULT.maxLon) : spot.lon + (gaussian() * 400) / metresPerDegreeLon;
    const lat = anywhere ? between(HERAULT.minLat, HERAULT.maxLat) : spot.lat + (gaussian() * 400) / metresPerDegreeLat;
    const o = Math.floor(random() * OPERATORS.length);
    const dbm = Math.round(Math.max(-140, Math.min(-43, spot.base[o]! + gaussian() * 6)));
    const noService = dbm < -132;
    const tested = random() < 0.4;
    const settingDraw = random();
    readings[i] = {
      lon,
      lat,
      operator: OPERATORS[o]!,
      technology: noService ? 'none' : random() < 0.9 ? '4G' : '3G',
      setting: settingDraw < 0.8 ? 'outdoor' : settingDraw < 0.9 ? 'indoor' : 'vehicle',
      source: random() < 0.95 ? 'agent' : 'import',
      recordedAt: pick(times),
      ...(noService ? {} : { signalDbm: Math.max(-121, dbm) }),
      voice: tested ? (random() < (dbm + 140) / 60 ? 'ok' : random() < 0.5 ? 'failed' : 'dropped') : 'not-tested',
    };
    contributors[i] = pick(spot.agents);
  }
  return { readings, contributors };
}

function timed<T>(run: () => T): { seconds: number; result: T } {
  const start = performance.now();
  const result = run();
  return { seconds: (performance.now() - start) / 1000, result };
}

/** Baseline 1: the projection alone (proj4 + the cell arithmetic). */
function projectOnly(readings: GridReading[]): number {
  let checksum = 0;
  for (const r of readings) checksum += cellAt(r.lon, r.lat)?.east ?? 0;
  return checksum;
}

/** Baseline 2: a plain loop counting readings per cell id in a Map. */
function countPerCell(readings: GridReading[]): number {
  const counts = new Map<string, number>();
  for (const r of readings) {
    const id = cellIdAt(r.lon, r.lat);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts.size;
}

function aggregate(readings: GridReading[], contributors: string[], from = 0, to = readings.length): CoverageGrid {
  const grid = createGrid();
  for (let i = from; i < to; i += 1) addReading(grid, readings[i]!, contributors[i]!);
  return grid;
}

const { readings, contributors } = generate(count);

// Warm-up, not measured: each path once on a slice, so that none pays for the JIT alone.
const warm = Math.min(50_000, count);
projectOnly(readings.slice(0, warm));
countPerCell(readings.slice(0, warm));
aggregate(readings, contributors, 0, warm);

const projection = timed(() => projectOnly(readings));
const counting = timed(() => countPerCell(readings));
const heapBefore = process.memoryUsage().heapUsed;
const aggregation = timed(() => aggregate(readings, contributors));
const heapAfter = process.memoryUsage().heapUsed;
const grid = aggregation.result;

const half = Math.floor(count / 2);
const halves = [aggregate(readings, contributors, 0, half), aggregate(readings, contributors, half)];
const halfSizes = halves.map((h) => h.groups.size);
const merging = timed(() => mergeGrid(halves[0]!, halves[1]!));
const judging = timed(() => judgeGrid(grid));
const judged = judging.result;
const zoning = timed(() => suggestZones(judged));
const geojson = timed(() => JSON.stringify(cellsFeatureCollection(judged)).length);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (seconds: number) => `${fmt(count / seconds).padStart(11)}/s`;
const line = (label: string, seconds: number, ratio?: number) =>
  `${label.padEnd(44)}${seconds.toFixed(2).padStart(7)} s${rate(seconds)}${ratio === undefined ? '' : `${ratio.toFixed(2).padStart(9)}×`}`;

const zones = judged.reduce<Record<string, number>>((acc, cell) => ((acc[cell.verdict.zone] = (acc[cell.verdict.zone] ?? 0) + 1), acc), {});
console.log(`\nCoverage grid: ${fmt(count)} readings over Hérault, 4 operators, 200 m INSPIRE cells (Node ${process.version})\n`);
console.log(`${'path'.padEnd(44)}${'time'.padStart(9)}${'rate'.padStart(13)}${'time vs'.padStart(10)}`);
console.log(line('baseline: project each position (proj4)', projection.seconds));
console.log(line('baseline: count readings per cell id (Map)', counting.seconds, counting.seconds / projection.seconds));
console.log(line('aggregate (cell × operator × tech × setting)', aggregation.seconds, aggregation.seconds / projection.seconds));
console.log(
  `\nAggregating takes ${(aggregation.seconds / projection.seconds).toFixed(2)}× the time of projecting alone and ` +
    `${(aggregation.seconds / counting.seconds).toFixed(2)}× that of counting per cell id.`,
);
console.log(
  `${fmt(grid.groups.size)} groups in ${fmt(judged.length)} cells; heap grew by about ${fmt((heapAfter - heapBefore) / 1_048_576)} MB ` +
    `(${fmt((heapAfter - heapBefore) / grid.groups.size)} bytes per group).`,
);
console.log(`\nafter aggregation`);
console.log(
  `${`  merge two halves (${fmt(halfSizes[1]!)} groups into ${fmt(halfSizes[0]!)})`.padEnd(60)}${(merging.seconds * 1000).toFixed(0).padStart(7)} ms`,
);
console.log(`${`  judge every cell (outdoor readings)`.padEnd(60)}${(judging.seconds * 1000).toFixed(0).padStart(7)} ms`);
console.log(`${`  suggest zones (${fmt(zoning.result.length)} zones)`.padEnd(60)}${(zoning.seconds * 1000).toFixed(0).padStart(7)} ms`);
console.log(`${`  cells as GeoJSON text (${fmt(geojson.result / 1_048_576)} MB)`.padEnd(60)}${(geojson.seconds * 1000).toFixed(0).padStart(7)} ms`);
console.log(
  `\ncells by verdict: ${Object.entries(zones)
    .map(([zone, n]) => `${zone} ${fmt(n)}`)
    .join(', ')}\n`,
);
