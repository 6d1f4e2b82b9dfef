/**
 * What bench/load.ts puts on the server: devices uploading their readings in batches, some
 * batches sent again (the answer lost on the way back) or twice at once (two tabs and the
 * service worker), and reviewers looking at the département's map meanwhile. Requests go
 * through Node's fetch (undici) over loopback; every answer is checked, not only its status.
 */
import { OPERATORS } from '../src/domain/operators.ts';
import type { Reading } from '../src/domain/reading.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { CENTRES } from './load-shared.ts';

export const HERAULT = { minLon: 2.54, minLat: 43.21, maxLon: 4.19, maxLat: 43.97 };
const BOX = `${HERAULT.minLon},${HERAULT.minLat},${HERAULT.maxLon},${HERAULT.maxLat}`;
export const ROUTES = {
  upload: 'POST /api/v1/readings',
  cells: 'GET /api/v1/cells (Hérault, 1 km)',
  clusters: 'GET /api/v1/readings (Hérault, zoom 9)',
} as const;
const NOW = Date.now();

/** Latencies per route and every error, as they happen. */
export class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly errors: { route: string; detail: string }[] = [];
  requests = 0;

  record(route: string, ms: number): void {
    this.requests += 1;
    const list = this.latencies.get(route) ?? [];
    list.push(ms);
    this.latencies.set(route, list);
  }

  fail(route: string, detail: string): void {
    this.errors.push({ route, detail: detail.slice(0, 300) });
  }
}

interface Answer {
  status: number;
  body: unknown;
}

/** One request, timed until its whole body is read; a network failure is status 0. */
async function timedFetch(recorder: Recorder, route: string, url: string, init: RequestInit): Promise<Answer> {
  const start = performance.now();
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    recorder.record(route, performance.now() - start);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    if (response.status < 200 || response.status > 299) recorder.fail(route, `${response.status} ${text}`);
    return { status: response.status, body };
  } catch (error) {
    recorder.record(route, performance.now() - start);
    recorder.fail(route, `network: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`);
    return { status: 0, body: undefined };
  }
}

export interface DevicePlan {
  batches: Reading[][];
  /** Batches sent again once accepted, as a phone does when the answer never reached it. */
  resent: Set<number>;
  /** Batches sent twice at the same moment, racing each other. */
  doubled: Set<number>;
}

/** A UUID-shaped id unique to (device, n), so a rerun makes the same readings. */
function readingId(device: number, n: number): string {
  return `${device.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * The device's readings around its commune's centre (within about 8 km, so the server places
 * them in the Hérault) cut into batches of 100 to 500, the last one taking what is left.
 */
export function devicePlan(device: number, readings: number): DevicePlan {
  const next = seededRandom(device + 1);
  const between = (min: number, max: number) => min + next() * (max - min);
  const centre = CENTRES[device % CENTRES.length]!;
  const all: Reading[] = Array.from({ length: readings }, (_, n) => ({
    id: readingId(device, n),
    recordedAt: new Date(NOW - between(0, 30 * 86_400_000)).toISOString(),
    lat: Number((centre.lat + between(-0.07, 0.07)).toFixed(6)),
    lon: Number((centre.lon + between(-0.07, 0.07)).toFixed(6)),
    accuracyM: Math.round(between(3, 60)),
    operator: OPERATORS[Math.floor(next() * OPERATORS.length)]!,
    technology: next() < 0.85 ? '4G' : '3G',
    signalDbm: Math.round(between(-118, -75)), // valid for 3G and 4G alike
    setting: 'outdoor',
    voice: next() < 0.9 ? 'ok' : 'failed',
    source: 'agent',
  }));
  const batches: Reading[][] = [];
  for (let done = 0; done < readings; ) {
    const size = Math.min(readings - done, 100 + Math.floor(next() * 401));
    batches.push(all.slice(done, done + size));
    done += size;
  }
  const resent = new Set<number>();
  const doubled = new Set<number>();
  batches.forEach((_, b) => {
    const roll = next();
    if (roll < 0.1) resent.add(b);
    else if (roll < 0.15) doubled.add(b);
  });
  return { batches, resent, doubled };
}

interface UploadAnswer {
  accepted?: string[];
  duplicates?: string[];
  rejected?: unknown[];
}

function sameIds(got: string[], want: string[]): boolean {
  if (got.length !== want.length) return false;
  const set = new Set(got);
  return want.every((id) => set.has(id));
}

export interface DeviceCounts {
  accepted: number;
  duplicates: number;
}

/** One device: its batches one after the other, each answer checked against what was sent. */
export async function runDevice(recorder: Recorder, baseUrl: string, authorization: string, plan: DevicePlan, counts: DeviceCounts): Promise<void> {
  const url = `${baseUrl}/api/v1/readings`;
  const post = (body: string) =>
    timedFetch(recorder, ROUTES.upload, url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
  const tally = (answer: Answer) => {
    const body = (answer.body ?? {}) as UploadAnswer;
    counts.accepted += body.accepted?.length ?? 0;
    counts.duplicates += body.duplicates?.length ?? 0;
    return { accepted: body.accepted ?? [], duplicates: body.duplicates ?? [], rejected: body.rejected ?? [] };
  };

  for (const [b, batch] of plan.batches.entries()) {
    const ids = batch.map((r) => r.id);
    const body = JSON.stringify({ readings: batch });
    if (plan.doubled.has(b)) {
      // Both answers together must account for each reading once stored, once a duplicate.
      const [first, second] = (await Promise.all([post(body), post(body)])).map(tally);
      const stored = [...first!.accepted, ...second!.accepted];
      const repeated = [...first!.duplicates, ...second!.duplicates];
      if (!sameIds(stored, ids) || !sameIds(repeated, ids)) {
        recorder.fail(ROUTES.upload, `doubled batch: ${stored.length} accepted, ${repeated.length} duplicates for ${ids.length}`);
      }
      continue;
    }
    const answer = tally(await post(body));
    if (!sameIds(answer.accepted, ids) || answer.rejected.length > 0) {
      recorder.fail(
        ROUTES.upload,
        `batch of ${ids.length}: ${answer.accepted.length} accepted, ${answer.rejected.length} rejected ${JSON.stringify(answer.rejected[0] ?? null)}`,
      );
    }
    if (plan.resent.has(b)) {
      const again = tally(await post(body));
      if (!sameIds(again.duplicates, ids) || again.accepted.length > 0) {
        recorder.fail(ROUTES.upload, `resent batch of ${ids.length}: ${again.accepted.length} accepted, ${again.duplicates.length} duplicates`);
      }
    }
  }
}

/**
 * One reviewer panning the département's map while devices upload: the coverage grid at
 * 1 km, then the readings clustered at zoom 9, with `thinkMs` between requests (a person
 * reads the map), until `done()` says the devices have finished.
 */
export async function runReviewer(recorder: Recorder, baseUrl: string, authorization: string, thinkMs: number, done: () => boolean): Promise<void> {
  const queries = [
    { route: ROUTES.cells, url: `${baseUrl}/api/v1/cells?bbox=${BOX}&resolution=1000` },
    { route: ROUTES.clusters, url: `${baseUrl}/api/v1/readings?bbox=${BOX}&zoom=9` },
  ];
  for (let i = 0; !done(); i += 1) {
    const { route, url } = queries[i % queries.length]!;
    const answer = await timedFetch(recorder, route, url, { headers: { authorization } });
    const features = (answer.body as { features?: unknown } | undefined)?.features;
    if (answer.status === 200 && !Array.isArray(features)) recorder.fail(route, 'answer without a features array');
    if (!done()) await new Promise((resolve) => setTimeout(resolve, thinkMs));
  }
}
