/**
 * What bench/load.ts puts on the server: devices emptying their outboxes as the app does
 * (batches of 500, the phone's 30 s timeout, its back-off before sending again, and a few
 * answers lost on the way back), and reviewers looking at the département's map meanwhile.
 * Requests go through Node's fetch (undici) over loopback; every answer is checked, not only
 * its status.
 */
import { OPERATORS } from '../src/domain/operators.ts';
import type { Reading } from '../src/domain/reading.ts';
import { nextTryDelay, retryAfterMs } from '../src/sync/backoff.ts';
import { MAX_BATCH } from '../src/sync/protocol.ts';
import { UPLOAD_TIMEOUT_MS } from '../src/sync/upload.ts';
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
  /** 0: no answer (network failure, or the client gave up). */
  status: number;
  /** From the request to the end of the answer's body (ms). */
  ms: number;
  body: unknown;
  /** The client's own timeout ended the request (the phone gives up; not an error of the server's). */
  timedOut?: boolean;
  /** The wait the server asked for (`Retry-After`, ms), as the app reads it. */
  retryAfterMs?: number;
}

/** One request, timed until its whole body is read; a network failure is status 0. */
async function timedFetch(recorder: Recorder, route: string, url: string, init: RequestInit): Promise<Answer> {
  const start = performance.now();
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    const ms = performance.now() - start;
    recorder.record(route, ms);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    // 503 with Retry-After is the server asking to come back later: the phone does, it is no fault.
    const comeBackLater = response.status === 503 && response.headers.has('retry-after');
    if ((response.status < 200 || response.status > 299) && !comeBackLater) recorder.fail(route, `${response.status} ${text}`);
    const wait = retryAfterMs(response.headers.get('retry-after'));
    return { status: response.status, ms, body, ...(wait !== undefined && { retryAfterMs: wait }) };
  } catch (error) {
    const ms = performance.now() - start;
    recorder.record(route, ms);
    if ((error as Error).name === 'TimeoutError') return { status: 0, ms, body: undefined, timedOut: true };
    recorder.fail(route, `network: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`);
    return { status: 0, ms, body: undefined };
  }
}

/** A device's readings, oldest first, as its outbox holds them. */
export interface DevicePlan {
  readings: Reading[];
  /** Draws whether the next answer is lost on the way back (the phone then sees a network failure). */
  answerLost: () => boolean;
}

/** A UUID-shaped id unique to (device, n), so a rerun makes the same readings. */
function readingId(device: number, n: number): string {
  return `${device.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Share of answers lost on the way back to the phone (a mobile network dropping mid-answer). */
const ANSWER_LOST = 0.05;

/** The device's readings around its commune's centre (within about 8 km, so the server places them in the Hérault). */
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
  const lost = seededRandom(1_000_000 + device);
  return { readings: all, answerLost: () => lost() < ANSWER_LOST };
}

interface UploadAnswer {
  accepted?: string[];
  duplicates?: string[];
  rejected?: unknown[];
}

/**
 * What the devices were told, over the whole run: `accepted` counts every id an answer said
 * it stored (an id stored twice would show here as more than the database holds),
 * `acknowledged` the distinct ids a phone may drop from its outbox (accepted or duplicate).
 */
export interface DeviceCounts {
  accepted: number;
  duplicates: number;
  acknowledged: Set<string>;
  /** Uploads the phone gave up on at UPLOAD_TIMEOUT_MS. */
  timedOut: number;
  /** Uploads answered 5xx or 429 (the phone waits and sends again); only a 503 with Retry-After is not also an error. */
  unavailable: number;
  /** How long the uploads answered 200 took (ms): the ones that stored or acknowledged readings. */
  answeredMs: number[];
  /** Planned lost answers: answered, but the phone never saw it and sends again. */
  lostAnswers: number;
  /** Per device, from the start until the server held all of its readings (ms). */
  deviceDone: number[];
}

export function deviceCounts(): DeviceCounts {
  return { accepted: 0, duplicates: 0, acknowledged: new Set(), timedOut: 0, unavailable: 0, answeredMs: [], lostAnswers: 0, deviceDone: [] };
}

/**
 * One phone emptying its outbox as the app does (src/sync/flush.ts): batches of MAX_BATCH,
 * oldest first, one after the other; each upload given up after UPLOAD_TIMEOUT_MS; on a
 * timeout, a network failure, a 5xx or 429, the flush stops and the next one starts after
 * nextTryDelay() (the server's Retry-After when it gave one, else 5 s doubling to 5 min,
 * jittered: src/sync/backoff.ts), sending again whatever
 * was not acknowledged. `serverUrl()` picks the server for each request (one address, or
 * the next of several processes in turn, as a reverse proxy does).
 */
export async function runDevice(recorder: Recorder, serverUrl: () => string, authorization: string, plan: DevicePlan, counts: DeviceCounts): Promise<void> {
  const start = performance.now();
  const waiting = new Map(plan.readings.map((reading) => [reading.id, reading]));
  let failures = 0;
  while (waiting.size > 0) {
    const batch = [...waiting.values()].slice(0, MAX_BATCH);
    const sent = new Set(batch.map((reading) => reading.id));
    const answer = await timedFetch(recorder, ROUTES.upload, `${serverUrl()}/api/v1/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ readings: batch }),
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    const body = (answer.status === 200 ? answer.body : {}) as UploadAnswer;
    const accepted = body.accepted ?? [];
    const duplicates = body.duplicates ?? [];
    counts.accepted += accepted.length;
    counts.duplicates += duplicates.length;
    if (answer.status === 0 && answer.timedOut) counts.timedOut += 1;
    if (answer.status >= 500 || answer.status === 429) counts.unavailable += 1;
    if (answer.status === 200) {
      counts.answeredMs.push(answer.ms);
      const rejected = body.rejected ?? [];
      const stray = [...accepted, ...duplicates].filter((id) => !sent.has(id));
      if (rejected.length > 0 || stray.length > 0 || accepted.length + duplicates.length !== sent.size) {
        recorder.fail(
          ROUTES.upload,
          `batch of ${sent.size}: ${accepted.length} accepted, ${duplicates.length} duplicates, ${rejected.length} rejected ${JSON.stringify(rejected[0] ?? null)}`,
        );
        return;
      }
      if (plan.answerLost()) {
        // Stored, but the phone never saw the answer: it sends the batch again later.
        counts.lostAnswers += 1;
      } else {
        for (const id of [...accepted, ...duplicates]) {
          counts.acknowledged.add(id);
          waiting.delete(id);
        }
        failures = 0;
        continue;
      }
    } else if (answer.status !== 0 && answer.status < 500 && answer.status !== 429) {
      return; // refused as a whole: already recorded as an error, and sending again would not help.
    }
    failures += 1;
    await new Promise((resolve) => setTimeout(resolve, nextTryDelay(failures, answer.retryAfterMs)));
  }
  counts.deviceDone.push(performance.now() - start);
}

/**
 * One reviewer panning the département's map while devices upload: the coverage grid at
 * 1 km, then the readings clustered at zoom 9, with `thinkMs` between requests (a person
 * reads the map), until `done()` says the devices have finished.
 */
export async function runReviewer(recorder: Recorder, serverUrl: () => string, authorization: string, thinkMs: number, done: () => boolean): Promise<void> {
  const queries = [
    { route: ROUTES.cells, path: `/api/v1/cells?bbox=${BOX}&resolution=1000` },
    { route: ROUTES.clusters, path: `/api/v1/readings?bbox=${BOX}&zoom=9` },
  ];
  for (let i = 0; !done(); i += 1) {
    const { route, path } = queries[i % queries.length]!;
    const answer = await timedFetch(recorder, route, `${serverUrl()}${path}`, { headers: { authorization } });
    const features = (answer.body as { features?: unknown } | undefined)?.features;
    if (answer.status === 200 && !Array.isArray(features)) recorder.fail(route, 'answer without a features array');
    if (!done()) await new Promise((resolve) => setTimeout(resolve, thinkMs));
  }
}
