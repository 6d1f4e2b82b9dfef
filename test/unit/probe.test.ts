import { describe, expect, it } from 'vitest';
import type { ProbeSettings } from '../../src/domain/field-settings.ts';
import { validateReading } from '../../src/domain/reading-schema.ts';
import { describeProbe } from '../../src/app/evidence/describe-evidence.ts';
import { median, probeBudgetMs, runProbe, type ProbeClock, type ProbeDeps, type ProbeRecord } from '../../src/app/evidence/probe.ts';
import { createSharedProbe } from '../../src/app/evidence/shared-probe.ts';
import { makeReading } from './helpers.ts';

const T0 = Date.parse('2026-05-04T10:00:00Z');

/** Timers that only move when the test says so. */
class FakeClock implements ProbeClock {
  private current = T0;
  private timers: { at: number; id: number; callback: () => void }[] = [];
  private nextId = 1;

  now = () => this.current;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.current + ms, id, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  };

  /** Runs the clock until `promise` settles: each idle moment jumps to the next timer. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => (settled = true));
    for (let guard = 0; guard < 10_000; guard++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers.shift();
      if (!next) throw new Error('Nothing left to wait for, and the promise has not settled');
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
    throw new Error('Clock ran away');
  }
}

interface Seen {
  method: string;
  url: string;
  cache: RequestCache | undefined;
  redirect: RequestRedirect | undefined;
  csrf: string | null;
  bodyBytes: number;
}

/** What the fake network does with one request: answer after a delay, fail, or never answer. */
type Plan = { delayMs: number; response: () => Response } | { delayMs: number; error: Error } | { hang: true };

/** A network whose every answer takes fake time; a request aborted by its signal rejects at once. */
class FakeNetwork {
  readonly seen: Seen[] = [];
  constructor(
    private readonly clock: FakeClock,
    private readonly plan: (request: Seen, index: number) => Plan,
  ) {}

  fetch: typeof fetch = (input, init) => {
    const url = String(input);
    const body = init?.body as Uint8Array | undefined;
    const request: Seen = {
      method: init?.method ?? 'GET',
      url,
      cache: init?.cache,
      redirect: init?.redirect,
      csrf: new Headers(init?.headers).get('x-csrf-token'),
      bodyBytes: body?.byteLength ?? 0,
    };
    this.seen.push(request);
    const plan = this.plan(request, this.seen.length - 1);
    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal;
      let timer: unknown;
      signal?.addEventListener('abort', () => {
        this.clock.clearTimeout(timer);
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      });
      if ('hang' in plan) return;
      timer = this.clock.setTimeout(() => ('error' in plan ? reject(plan.error) : resolve(plan.response())), plan.delayMs);
    });
  };
}

const SETTINGS: ProbeSettings = { enabled: true, latencySamples: 3, downloadBytes: 200_000, uploadBytes: 100_000, stepTimeoutMs: 5_000 };

const bytesOf = (url: string) => Number(new URL(url, 'http://device').searchParams.get('bytes'));

/** Our API's answers: GET → the bytes asked for, POST → how many it received. */
function apiAnswer(request: Seen): Response {
  if (request.method === 'POST') return Response.json({ receivedBytes: request.bodyBytes });
  return new Response(new Uint8Array(bytesOf(request.url)), { headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' } });
}

/** Each request answered by the API after `delays[i]` ms (the last delay for the rest). */
function answeredAfter(...delays: number[]) {
  return (request: Seen, index: number): Plan => ({ delayMs: delays[Math.min(index, delays.length - 1)]!, response: () => apiAnswer(request) });
}

function setup(plan: (request: Seen, index: number) => Plan, { online = true, csrf = 'csrf-1' } = {}) {
  const clock = new FakeClock();
  const network = new FakeNetwork(clock, plan);
  const deps: ProbeDeps = { fetch: network.fetch, clock, online: () => online, csrfToken: () => csrf };
  const probe = (settings: ProbeSettings = SETTINGS) => clock.run(runProbe(settings, deps));
  return { clock, network, probe };
}

/** The probe as the wire format takes it, and as the server will validate it. */
function expectValidOnReading(probe: ProbeRecord): void {
  const validation = validateReading(makeReading({ probe }));
  expect(validation.ok, JSON.stringify(validation)).toBe(true);
}

describe('runProbe', () => {
  it('measures reach, the median latency, download and upload against the API', async () => {
    // reach 120 ms (connection set-up), latency 90 / 40 / 60 ms, download 800 ms, upload 1000 ms.
    const { network, probe } = setup(answeredAfter(120, 90, 40, 60, 800, 1000));
    const result = await probe();

    expect(result).toEqual({
      startedAt: result.startedAt,
      durationMs: 120 + 90 + 40 + 60 + 800 + 1000,
      result: 'reachable',
      latencyMs: 60,
      latencySamples: 3,
      downloadKbps: 2000, // 200,000 bytes × 8 / 800 ms
      uploadKbps: 800, // 100,000 bytes × 8 / 1000 ms
    });
    expect(Date.parse(result.startedAt)).toBe(T0);
    expectValidOnReading(result);

    expect(network.seen.map((r) => [r.method, bytesOf(r.url)])).toEqual([
      ['GET', 0],
      ['GET', 0],
      ['GET', 0],
      ['GET', 0],
      ['GET', 200_000],
      ['POST', 100_000],
    ]);
    // No cache may answer: every URL is unique and every request says no-store.
    expect(new Set(network.seen.map((r) => r.url)).size).toBe(6);
    expect(network.seen.every((r) => r.cache === 'no-store' && r.url.startsWith('/api/v1/probe?'))).toBe(true);
    // A redirect is not followed (a captive portal's), and the upload carries the CSRF token.
    expect(network.seen.every((r) => r.redirect === 'manual')).toBe(true);
    expect(network.seen[5]!.csrf).toBe('csrf-1');
    expect(describeProbe(result)).toBe('Mesure du réseau : serveur joint, latence 60 ms, ↓ 2,0 Mbit/s, ↑ 0,8 Mbit/s');
  });

  it('takes the median of an even number of samples as the mean of the middle two', async () => {
    const { probe } = setup(answeredAfter(10, 100, 30, 50, 900, 10, 10));
    const result = await probe({ ...SETTINGS, latencySamples: 4 });
    expect(result.latencyMs).toBe(75);
    expect(result.latencySamples).toBe(4);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('says device-offline without a single request when the phone says it has no network', async () => {
    const { network, probe } = setup(answeredAfter(10), { online: false });
    const result = await probe();
    expect(result).toEqual({ startedAt: result.startedAt, durationMs: 0, result: 'device-offline' });
    expect(network.seen).toEqual([]);
    expectValidOnReading(result);
    expect(describeProbe(result)).toBe('Appareil hors ligne');
  });

  it('records the server as unreachable when the network fails', async () => {
    const { network, probe } = setup(() => ({ delayMs: 30, error: new TypeError('Failed to fetch') }));
    const result = await probe();
    expect(result).toMatchObject({ result: 'unreachable', failedStep: 'reach', error: 'Pas de réponse du réseau', durationMs: 30 });
    expect(result.latencyMs).toBeUndefined();
    expect(network.seen).toHaveLength(1);
    expectValidOnReading(result);
    expect(describeProbe(result)).toBe('Serveur injoignable : preuve d’absence de service de données (Pas de réponse du réseau)');
  });

  it('gives up on each step at its own timeout', async () => {
    // Nothing ever answers the first request: the probe stops at the step timeout, not later.
    const { probe } = setup(() => ({ hang: true }));
    const result = await probe();
    expect(result).toMatchObject({ result: 'unreachable', failedStep: 'reach', error: 'Délai dépassé (5 s)', durationMs: 5_000 });
    expectValidOnReading(result);
  });

  it('times each request apart: slow but steady requests all pass', async () => {
    // Each request takes 4.5 s, under the 5 s step timeout, for 27 s in all.
    const { probe } = setup(answeredAfter(4_500));
    const result = await probe();
    expect(result).toMatchObject({ result: 'reachable', latencyMs: 4_500, durationMs: 6 * 4_500 });
    expect(result.failedStep).toBeUndefined();
    expect(result.durationMs).toBeLessThan(probeBudgetMs(SETTINGS));
  });

  it('counts a captive portal’s redirect as unreachable', async () => {
    const opaqueRedirect = { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), redirected: false } as unknown as Response;
    const { network, probe } = setup(() => ({ delayMs: 20, response: () => opaqueRedirect }));
    const result = await probe();
    expect(result).toMatchObject({ result: 'unreachable', failedStep: 'reach' });
    expect(result.error).toMatch(/portail captif/);
    expect(network.seen).toHaveLength(1);
  });

  it('counts a captive portal’s page (HTML with 200) as unreachable', async () => {
    const { probe } = setup(() => ({
      delayMs: 20,
      response: () => new Response('<html>Connectez-vous au Wi-Fi</html>', { headers: { 'content-type': 'text/html' } }),
    }));
    const result = await probe();
    expect(result).toMatchObject({ result: 'unreachable', failedStep: 'reach' });
    expect(result.error).toMatch(/text\/html/);
  });

  it('keeps the earlier figures when a later step fails', async () => {
    // The download never comes: latency stays, download and upload are absent.
    const { network, probe } = setup((request, index) => (index === 4 ? { hang: true } : { delayMs: 50, response: () => apiAnswer(request) }));
    const result = await probe();
    expect(result).toEqual({
      startedAt: result.startedAt,
      durationMs: 4 * 50 + 5_000,
      result: 'reachable',
      latencyMs: 50,
      latencySamples: 3,
      failedStep: 'download',
      error: 'Délai dépassé (5 s)',
    });
    expect(network.seen).toHaveLength(5);
    expectValidOnReading(result);
    expect(describeProbe(result)).toBe('Mesure du réseau : serveur joint, latence 50 ms ; débit descendant non mesuré (Délai dépassé (5 s))');
  });

  it('fails the upload step when the server received another size', async () => {
    const { probe } = setup((request) => ({
      delayMs: 10,
      response: () => (request.method === 'POST' ? Response.json({ receivedBytes: 12 }) : apiAnswer(request)),
    }));
    const result = await probe();
    expect(result).toMatchObject({ result: 'reachable', failedStep: 'upload', downloadKbps: expect.any(Number) });
    expect(result.uploadKbps).toBeUndefined();
    expect(result.error).toMatch(/12 octets sur 100000/);
  });

  it('calls a refusal from our API (expired session) reachable, and says what stopped it', async () => {
    const refusal = () => Response.json({ error: 'Session expirée' }, { status: 401 });
    const { network, probe } = setup(() => ({ delayMs: 15, response: refusal }));
    const result = await probe();
    expect(result).toMatchObject({ result: 'reachable', failedStep: 'latency', error: 'Le serveur a répondu 401' });
    expect(network.seen).toHaveLength(2);
  });

  it('skips steps the settings turn off and keeps payloads within the server’s bound', async () => {
    const { network, probe } = setup(answeredAfter(10));
    const result = await probe({ ...SETTINGS, latencySamples: 0, downloadBytes: 5_000_000, uploadBytes: 0 });
    expect(result).toMatchObject({ result: 'reachable', downloadKbps: 800_000 });
    expect(result.latencyMs).toBeUndefined();
    expect(result.uploadKbps).toBeUndefined();
    expect(network.seen.map((r) => bytesOf(r.url))).toEqual([0, 1_000_000]);
  });
});

describe('probe budget', () => {
  it('covers every request at its timeout, plus a margin', () => {
    expect(probeBudgetMs(SETTINGS)).toBe(6 * 5_000 + 5_000);
    expect(probeBudgetMs({ ...SETTINGS, latencySamples: 1, uploadBytes: 0 }, 0)).toBe(3 * 5_000);
  });
});

describe('createSharedProbe', () => {
  const reachable = (at: number): ProbeRecord => ({ startedAt: new Date(at).toISOString(), durationMs: 5, result: 'reachable' });

  it('runs one probe at a time: saves made while it runs share its result', async () => {
    let runs = 0;
    let finish!: (probe: ProbeRecord) => void;
    const shared = createSharedProbe(
      () => {
        runs += 1;
        return new Promise((resolve) => (finish = resolve));
      },
      () => T0,
    );
    const first = shared.measure();
    const second = shared.measure();
    expect(runs).toBe(1);
    finish(reachable(T0));
    expect(await first).toBe(await second);
  });

  it('reuses a result younger than a few seconds, and measures again after', async () => {
    let now = T0;
    let runs = 0;
    const shared = createSharedProbe(
      async () => reachable(now + runs++),
      () => now,
      5_000,
    );
    const a = await shared.measure();
    now += 4_000;
    expect(await shared.measure()).toBe(a);
    now += 2_000;
    const c = await shared.measure();
    expect(c).not.toBe(a);
    expect(runs).toBe(2);
  });

  it('never reuses device-offline: the network may be back a second later', async () => {
    let runs = 0;
    const shared = createSharedProbe(
      async () => ({ startedAt: new Date(T0).toISOString(), durationMs: 0, result: 'device-offline' as const, n: runs++ }),
      () => T0,
    );
    await shared.measure();
    await shared.measure();
    expect(runs).toBe(2);
  });

  it('starts afresh after a probe that threw', async () => {
    let runs = 0;
    const shared = createSharedProbe(
      async () => {
        runs += 1;
        if (runs === 1) throw new Error('boom');
        return reachable(T0);
      },
      () => T0,
    );
    await expect(shared.measure()).rejects.toThrow('boom');
    await expect(shared.measure()).resolves.toMatchObject({ result: 'reachable' });
  });
});
