import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addReading } from '../../src/store/outbox.ts';
import { addReport, countReportsByState, deleteReport, getReport, listReports, pendingReports } from '../../src/store/reports.ts';
import { getSyncStatus } from '../../src/store/sync-status.ts';
import { flushOutbox } from '../../src/sync/flush.ts';
import { MAX_REPORT_BATCH, REPORTS_ENDPOINT, SIGN_IN_NEEDED_MESSAGE } from '../../src/sync/protocol.ts';
import { FakeServer, json } from './fake-server.ts';
import { AGENT_ID, freshDatabase, makeReading, makeReport, signIn } from './helpers.ts';

vi.stubGlobal(
  'BroadcastChannel',
  class {
    postMessage(): void {}
    close(): void {}
  },
);

let server: FakeServer;
beforeEach(async () => {
  await freshDatabase();
  server = new FakeServer();
});

const reportPosts = () => server.requestsTo(REPORTS_ENDPOINT);

describe('reports outbox (store)', () => {
  it('stores a report as pending, lists newest first, refuses a second copy of an id', async () => {
    const a = makeReport();
    const b = makeReport({ problem: 'no-data' });
    await addReport(a, 1);
    await addReport(b, 2);
    expect((await listReports()).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(await getReport(a.id)).toEqual({ id: a.id, report: a, state: 'pending', savedAt: 1 });
    await expect(addReport(a, 3)).rejects.toMatchObject({ name: 'ConstraintError' });
    expect((await pendingReports(10)).map((r) => r.id)).toEqual([a.id, b.id]);
    await deleteReport(a.id);
    expect(await countReportsByState()).toEqual({ pending: 1, sent: 0, refused: 0 });
  });
});

describe('flushOutbox sends residents’ reports', () => {
  it('without any account: no cookie, no CSRF token, and marks them sent', async () => {
    const reports = [makeReport(), makeReport({ operator: 'free' })];
    for (const [i, r] of reports.entries()) await addReport(r, i);

    const result = await flushOutbox({ fetch: server.fetch });

    expect(result).toEqual({ sent: 0, refused: 0, pending: 0, reports: { sent: 2, refused: 0, pending: 0 } });
    expect(reportPosts()).toHaveLength(1);
    expect(reportPosts()[0]).toMatchObject({ method: 'POST', credentials: 'omit', csrf: null, ids: reports.map((r) => r.id) });
    expect([...server.reports.keys()].sort()).toEqual(reports.map((r) => r.id).sort());
    for (const r of reports) expect((await getReport(r.id))?.state).toBe('sent');
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 0 });
  });

  it('sends reports even while the agent’s session waits for a sign-in', async () => {
    await signIn();
    await addReading(makeReading(), 1, AGENT_ID);
    await addReport(makeReport(), 2);
    server.sessionValid = false;

    const result = await flushOutbox({ fetch: server.fetch });

    expect(result).toEqual({
      sent: 0,
      refused: 0,
      pending: 1,
      error: SIGN_IN_NEEDED_MESSAGE,
      authRequired: true,
      reports: { sent: 1, refused: 0, pending: 0 },
    });
    expect(server.reports.size).toBe(1);
  });

  it('keeps reports waiting on 429 (rate limit) and on no network, then sends each once', async () => {
    const reports = [makeReport(), makeReport()];
    for (const [i, r] of reports.entries()) await addReport(r, i);
    server.intercept = () => json(429, { error: 'Trop de signalements : réessayez dans une minute' });
    expect((await flushOutbox({ fetch: server.fetch })).reports).toMatchObject({ sent: 0, pending: 2, error: expect.stringContaining('429') });

    const offline: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect((await flushOutbox({ fetch: offline })).reports).toMatchObject({ pending: 2, error: 'Pas de réseau : le serveur est injoignable' });
    expect(await getSyncStatus()).toMatchObject({ consecutiveFailures: 2 });

    server.intercept = undefined;
    expect((await flushOutbox({ fetch: server.fetch })).reports).toEqual({ sent: 2, refused: 0, pending: 0 });
    // A retry after a lost answer is a duplicate, still "sent".
    expect(server.reports.size).toBe(2);
  });

  it('marks a report the server rejects as refused and sends the others', async () => {
    const good = makeReport();
    const bad = makeReport({ lat: 95 });
    await addReport(good, 1);
    await addReport(bad, 2);
    expect((await flushOutbox({ fetch: server.fetch })).reports).toEqual({ sent: 1, refused: 1, pending: 0 });
    expect(await getReport(bad.id)).toMatchObject({ state: 'refused', refusal: { code: 'invalid', errors: [{ field: 'lat' }] } });
  });

  it('sends at most 50 reports per request', async () => {
    for (let i = 0; i < MAX_REPORT_BATCH + 5; i++) await addReport(makeReport(), i);
    await flushOutbox({ fetch: server.fetch, reportBatchSize: 500 });
    expect(reportPosts().map((r) => r.ids.length)).toEqual([50, 5]);
    expect(await countReportsByState()).toEqual({ pending: 0, sent: 55, refused: 0 });
  });

  it('treats a 401 on the public endpoint as the server being unavailable, never as a refusal', async () => {
    const report = makeReport();
    await addReport(report, 1);
    server.intercept = () => json(401, { error: '?' });
    expect((await flushOutbox({ fetch: server.fetch })).reports).toMatchObject({ pending: 1, error: expect.stringContaining('401') });
    expect((await getReport(report.id))?.state).toBe('pending');
  });
});
