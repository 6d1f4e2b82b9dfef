import type { DataTestSettings } from '../../domain/field-settings.ts';
import { type DataTest, PAGE_MAX_S, UPLOAD_MAX_S, UPLOAD_TEST_BYTES } from '../../domain/protocol.ts';
import { QOS_PAGE_PATH, qosPageAssetUrls } from '../../domain/qos-page.ts';
import { isoWithOffset } from '../../domain/time.ts';
import { browserProbeDeps, type ProbeDeps } from './probe.ts';

/**
 * Arcep's QoS data tests, against this server (src/server/routes/qos.ts): a 1 MB upload whose
 * digest the server answers (intact = the same SHA-256), a download that stops at the
 * deployment's bytes or seconds, whichever first, and a page (a document, then every resource
 * it names, several at once as a browser does). Each part runs whatever became of the one
 * before; a failure is a figure too (bytes moved in the time it took). Nothing here blocks a
 * save: the survey keeps the result in the reading it is building. Network, clock and online
 * flag are injected, as the probe's are.
 */

export type DataTestDeps = ProbeDeps & {
  /** SHA-256 of the bytes, as lower-case hex. */
  sha256(bytes: Uint8Array): Promise<string>;
  /** Random bytes (the upload must not compress). */
  randomBytes(length: number): Uint8Array;
};

export type DataTestStep = 'upload' | 'download' | 'page';
export const DATA_TEST_STEP_LABELS: Record<DataTestStep, string> = {
  upload: 'envoi d’un fichier de 1 Mo',
  download: 'téléchargement',
  page: 'chargement d’une page',
};

/** The page fetches this many resources at once, as browsers do per server over HTTP/1.1. */
const PAGE_CONNECTIONS = 6;

/** What one run costs the agent's plan at most, in bytes: the upload, the download budget, the page. */
export function dataTestCostBytes(settings: DataTestSettings): number {
  return UPLOAD_TEST_BYTES + settings.downloadMaxBytes + settings.pageBytes;
}

/** « environ 13 Mo » */
export function formatMegabytes(bytes: number): string {
  return `environ ${Math.round(bytes / 1_000_000)} Mo`;
}

export function browserDataTestDeps(csrfToken: () => string | undefined): DataTestDeps {
  return {
    ...browserProbeDeps(csrfToken),
    async sha256(bytes) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
      return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    },
    randomBytes(length) {
      const bytes = new Uint8Array(length);
      // getRandomValues fills at most 65,536 bytes per call.
      for (let offset = 0; offset < length; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(offset + 65_536, length)));
      return bytes;
    },
  };
}

let counter = 0;
/** Unique per request: no cache on the way can answer. */
const buster = () => `${Date.now().toString(36)}-${++counter}`;

/** Runs the three tests in turn; `onStep` hears which one starts (the survey says so). */
export async function runDataTests(settings: DataTestSettings, deps: DataTestDeps, onStep: (step: DataTestStep) => void = () => undefined): Promise<DataTest> {
  const startedAt = isoWithOffset(new Date(deps.clock.now()));
  if (!deps.online()) return { startedAt, offline: true };
  onStep('upload');
  const upload = await uploadTest(deps);
  onStep('download');
  const download = await downloadTest(settings, deps);
  onStep('page');
  const page = await pageTest(deps);
  return { startedAt, upload, download, page };
}

/** Aborts after `ms`; `done()` stops the timer. */
function deadline(deps: DataTestDeps, ms: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timer = deps.clock.setTimeout(() => controller.abort(), ms);
  return { signal: controller.signal, done: () => deps.clock.clearTimeout(timer) };
}

async function uploadTest(deps: DataTestDeps): Promise<NonNullable<DataTest['upload']>> {
  const bytes = deps.randomBytes(UPLOAD_TEST_BYTES);
  const expected = await deps.sha256(bytes);
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  const csrf = deps.csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  // Past the protocol's 30 s the test has failed: no point in paying for more.
  const timer = deadline(deps, UPLOAD_MAX_S * 1000);
  const start = deps.clock.now();
  let intact = false;
  try {
    const response = await deps.fetch(`${deps.baseUrl ?? ''}/api/v1/qos/upload?t=${buster()}`, {
      method: 'POST',
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'manual',
      headers,
      body: bytes as Uint8Array<ArrayBuffer>,
      signal: timer.signal,
    });
    const answer = response.ok ? ((await response.json().catch(() => undefined)) as { receivedBytes?: unknown; sha256?: unknown } | undefined) : undefined;
    intact = answer?.receivedBytes === UPLOAD_TEST_BYTES && answer.sha256 === expected;
  } catch {
    // No answer within the time: not intact, and the duration says how long it was tried.
  } finally {
    timer.done();
  }
  return { bytes: UPLOAD_TEST_BYTES, durationMs: Math.round(deps.clock.now() - start), intact };
}

/** Reads a body to its end or until the signal aborts; answers the bytes received. */
async function drain(response: Response, signal: AbortSignal): Promise<number> {
  if (!response.body) return (await response.arrayBuffer()).byteLength;
  const reader = response.body.getReader();
  let received = 0;
  try {
    while (!signal.aborted) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
    }
  } catch {
    // Aborted mid-chunk, or the network gave up: what arrived still counts.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return received;
}

async function downloadTest(settings: DataTestSettings, deps: DataTestDeps): Promise<NonNullable<DataTest['download']>> {
  const timer = deadline(deps, settings.downloadMaxS * 1000);
  const start = deps.clock.now();
  let bytes = 0;
  try {
    const response = await deps.fetch(`${deps.baseUrl ?? ''}/api/v1/qos/download?bytes=${settings.downloadMaxBytes}&t=${buster()}`, {
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'manual',
      signal: timer.signal,
    });
    if (response.ok) bytes = await drain(response, timer.signal);
  } catch {
    // Nothing came: 0 bytes in the time it took.
  } finally {
    timer.done();
  }
  return { bytes, durationMs: Math.max(1, Math.round(deps.clock.now() - start)) };
}

async function pageTest(deps: DataTestDeps): Promise<NonNullable<DataTest['page']>> {
  // Twice the protocol's 10 s: a page later than that has failed, whatever it weighs.
  const timer = deadline(deps, 2 * PAGE_MAX_S * 1000);
  const start = deps.clock.now();
  const get = (url: string) =>
    deps.fetch(`${deps.baseUrl ?? ''}${url}`, { cache: 'no-store', credentials: 'same-origin', redirect: 'manual', signal: timer.signal });
  let bytes = 0;
  let complete = false;
  try {
    const document = await get(`${QOS_PAGE_PATH}?t=${buster()}`);
    if (!document.ok) throw new Error(String(document.status));
    const html = await document.text();
    bytes += new TextEncoder().encode(html).byteLength;
    const queue = qosPageAssetUrls(html);
    let missing = 0;
    const worker = async () => {
      for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
        const response = await get(url);
        if (!response.ok) missing += 1;
        // Read first, then add: `bytes += await …` would add to the value read before the wait, losing the other workers' bytes.
        const received = await drain(response, timer.signal);
        bytes += received;
      }
    };
    await Promise.all(Array.from({ length: PAGE_CONNECTIONS }, worker));
    complete = missing === 0 && !timer.signal.aborted;
  } catch {
    // The page did not load whole: `complete` stays false.
  } finally {
    timer.done();
  }
  return { bytes, durationMs: Math.round(deps.clock.now() - start), complete };
}
