import { MAX_PROBE_BYTES, type ProbeSettings } from '../../domain/field-settings.ts';
import type { ProbeStep, Reading } from '../../domain/reading.ts';
import { isoWithOffset } from '../../domain/time.ts';

/**
 * The connectivity probe: what the phone's data service really gives, measured against our
 * own server (DOMAIN.md, "What a browser can and cannot measure"). Pure logic: the network,
 * the clock and the browser's online flag are injected, so that tests drive it with a fake
 * network and a fake clock.
 */

export type ProbeRecord = NonNullable<Reading['probe']>;

export const PROBE_ENDPOINT = '/api/v1/probe';

/** Timers and time (ms since epoch) as the probe sees them. */
export interface ProbeClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ProbeDeps {
  fetch: typeof fetch;
  clock: ProbeClock;
  /** The browser's own idea (navigator.onLine): false is certain, true proves nothing. */
  online(): boolean;
  /** The session's CSRF token, sent with the upload (a state-changing request). */
  csrfToken(): string | undefined;
  /** Origin of the API; '' for the page's own. */
  baseUrl?: string;
}

/** The page's real network, clock and online flag. */
export function browserProbeDeps(csrfToken: () => string | undefined): ProbeDeps {
  return {
    fetch: (input, init) => fetch(input, init),
    clock: {
      now: () => Date.now(),
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    online: () => navigator.onLine,
    csrfToken,
  };
}

/** Requests one probe makes at most: reach, the latency samples, download, upload. */
export function probeRequestCount(settings: ProbeSettings): number {
  return 1 + Math.max(0, settings.latencySamples) + (settings.downloadBytes > 0 ? 1 : 0) + (settings.uploadBytes > 0 ? 1 : 0);
}

/** Past this a probe has surely ended, each request having given up at its timeout. */
export function probeBudgetMs(settings: ProbeSettings, marginMs = 5_000): number {
  return probeRequestCount(settings) * settings.stepTimeoutMs + marginMs;
}

class StepFailure extends Error {
  constructor(
    readonly step: ProbeStep,
    message: string,
  ) {
    super(message);
  }
}

let requestCounter = 0;

/**
 * Runs the probe's steps in order, each request under its own timeout:
 * - reach: one small GET that only our API can answer (a unique query and `no-store`, so no
 *   cache on the way can; a redirect or any other answer, e.g. a captive portal's page,
 *   counts as not reaching the server);
 * - latency: the median round trip of `latencySamples` small GETs;
 * - download: GET of `downloadBytes`, in kbit/s over the whole request;
 * - upload: POST of `uploadBytes`, likewise.
 * Never rejects: a failure is part of the evidence. When a step fails, the figures of the
 * steps before it are kept and `failedStep`/`error` say what stopped it.
 */
export async function runProbe(settings: ProbeSettings, deps: ProbeDeps): Promise<ProbeRecord> {
  const { clock } = deps;
  const started = clock.now();
  const startedAt = isoWithOffset(new Date(started));
  if (!deps.online()) return { startedAt, durationMs: 0, result: 'device-offline' };

  const figures: Partial<ProbeRecord> = {};
  const finish = (result: ProbeRecord['result'], failure?: StepFailure): ProbeRecord => ({
    startedAt,
    durationMs: Math.max(0, Math.round(clock.now() - started)),
    result,
    ...figures,
    ...(failure && { failedStep: failure.step, error: failure.message.slice(0, 200) }),
  });
  const asFailure = (step: ProbeStep, error: unknown) => (error instanceof StepFailure ? error : new StepFailure(step, describeError(error)));

  try {
    await timedRequest('reach', settings, deps, (signal) => getProbe(0, deps, signal, 'reach'));
  } catch (error) {
    return finish('unreachable', asFailure('reach', error));
  }

  let step: ProbeStep = 'latency';
  try {
    const samples: number[] = [];
    for (let i = 0; i < settings.latencySamples; i++) {
      samples.push(await timedRequest('latency', settings, deps, (signal) => getProbe(0, deps, signal, 'latency')));
    }
    if (samples.length > 0) {
      figures.latencyMs = Math.round(median(samples));
      figures.latencySamples = samples.length;
    }

    step = 'download';
    const downloadBytes = Math.min(settings.downloadBytes, MAX_PROBE_BYTES);
    if (downloadBytes > 0) {
      const ms = await timedRequest('download', settings, deps, (signal) => getProbe(downloadBytes, deps, signal, 'download'));
      figures.downloadKbps = kbps(downloadBytes, ms);
    }

    step = 'upload';
    const uploadBytes = Math.min(settings.uploadBytes, MAX_PROBE_BYTES);
    if (uploadBytes > 0) {
      const ms = await timedRequest('upload', settings, deps, (signal) => postProbe(uploadBytes, deps, signal));
      figures.uploadKbps = kbps(uploadBytes, ms);
    }
  } catch (error) {
    return finish('reachable', asFailure(step, error));
  }
  return finish('reachable');
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Throughput over the whole request, round trip included: on the small payloads a probe
 * can afford, this understates a fast link rather than inflating a slow one.
 */
function kbps(bytes: number, ms: number): number {
  return Math.round((bytes * 8) / Math.max(ms, 1));
}

/** One request under its own timeout; resolves to how long it took (ms). */
async function timedRequest(step: ProbeStep, settings: ProbeSettings, { clock }: ProbeDeps, request: (signal: AbortSignal) => Promise<void>): Promise<number> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.stepTimeoutMs);
  const start = clock.now();
  try {
    await request(controller.signal);
    return clock.now() - start;
  } catch (error) {
    if (timedOut) throw new StepFailure(step, `Délai dépassé (${formatSeconds(settings.stepTimeoutMs)})`);
    throw error;
  } finally {
    clock.clearTimeout(timer);
  }
}

function probeUrl(bytes: number, baseUrl = ''): string {
  // Unique per request: no cache, the service worker's, a proxy's or the browser's, can answer.
  requestCounter += 1;
  return `${baseUrl}${PROBE_ENDPOINT}?bytes=${bytes}&t=${Date.now().toString(36)}-${requestCounter}`;
}

async function getProbe(bytes: number, deps: ProbeDeps, signal: AbortSignal, step: ProbeStep): Promise<void> {
  const response = await deps.fetch(probeUrl(bytes, deps.baseUrl), {
    method: 'GET',
    cache: 'no-store',
    credentials: 'same-origin',
    // A captive portal redirects: that is not our server answering.
    redirect: 'manual',
    signal,
  });
  // A refusal from our own API (session expired, rate limit) still proves the server was
  // reached; the next step then fails on it and says why.
  if (step === 'reach' && isApiRefusal(response)) return;
  checkAnswer(response, step, 'application/octet-stream');
  const body = await response.arrayBuffer();
  if (body.byteLength !== bytes) throw new StepFailure(step, `Réponse tronquée (${body.byteLength} octets sur ${bytes})`);
}

async function postProbe(bytes: number, deps: ProbeDeps, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  const csrf = deps.csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await deps.fetch(probeUrl(bytes, deps.baseUrl), {
    method: 'POST',
    cache: 'no-store',
    credentials: 'same-origin',
    redirect: 'manual',
    headers,
    body: new Uint8Array(bytes),
    signal,
  });
  checkAnswer(response, 'upload', 'application/json');
  const answer = (await response.json().catch(() => undefined)) as { receivedBytes?: unknown } | undefined;
  if (answer?.receivedBytes !== bytes) throw new StepFailure('upload', `Le serveur a reçu ${String(answer?.receivedBytes ?? '?')} octets sur ${bytes}`);
}

function isApiRefusal(response: Response): boolean {
  return [401, 403, 429].includes(response.status) && (response.headers.get('content-type') ?? '').startsWith('application/json');
}

/** Only our API answers a probe with the expected type; anything else is someone else. */
function checkAnswer(response: Response, step: ProbeStep, expectedType: string): void {
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new StepFailure(step, 'Redirigé vers une autre page (portail captif ?)');
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok)
    throw new StepFailure(step, `Le serveur a répondu ${response.status}${type.startsWith('application/json') ? '' : ` (${type || 'sans type'})`}`);
  if (!type.startsWith(expectedType)) throw new StepFailure(step, `Réponse inattendue (${type || 'sans type'}) : portail captif ou autre serveur ?`);
}

function describeError(error: unknown): string {
  if (error instanceof Error && error.name === 'AbortError') return 'Requête interrompue';
  return 'Pas de réponse du réseau';
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
