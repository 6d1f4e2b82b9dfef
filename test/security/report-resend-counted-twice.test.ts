import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/domain/report.ts';
import type { StoreLocation } from '../../src/server/storage/open-store.ts';
import { tableRows, withClient } from '../support/test-store.ts';
import { storedGrid } from '../server/grid-helpers.ts';
import { addUser, makeReport, useTestApps, postReports, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';
import { offset } from './report-observer.ts';

/**
 * A resident's report merged into another (same operator, problem and setting, same public
 * cell and hour) was not remembered: only the kept report's `repeats` grew. The phone resends
 * a report until it hears the answer, and on a bad network the answer is often lost, so each
 * resend of the merged report found no stored id, was merged again and counted again, and
 * after the kept report was hidden came back as a new visible report. Every id the server has
 * taken is now remembered (report_ids): a resend is answered as the first time and changes
 * nothing, whatever happened to the report it was merged into.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;

/** Everything an outsider, a reviewer and the grid show of the reports, to compare between resends. */
async function everythingShown(test: TestApp, reviewer: Caller) {
  const publicFeed = await test.app.inject({ method: 'GET', url: '/api/v1/reports' });
  const reviewerView = await test.app.inject({ method: 'GET', url: '/api/v1/reports', headers: reviewer.headers });
  expect(publicFeed.statusCode).toBe(200);
  expect(reviewerView.statusCode).toBe(200);
  const grid = await storedGrid(test.store, 200);
  const { reports: rows } = await tableRows(test.location, ['reports']);
  return { publicFeed: publicFeed.body, reviewerView: reviewerView.body, gridReports: grid.residents, rows: rows!.length };
}

/** SQL as an admin types it in sqlite3 or psql, on its own connection. */
async function adminSql(location: StoreLocation, sql: string, value: string): Promise<void> {
  if (location.kind === 'postgres') {
    await withClient(location.url, (client) => client.query(sql.replace('?', '$1'), [value]));
    return;
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(location.file, { fileMustExist: true });
  try {
    db.prepare(sql).run(value);
  } finally {
    db.close();
  }
}

async function repeatsOf(test: TestApp, id: string): Promise<number | undefined> {
  return (await test.store.reportById(id))?.repeats;
}

describe('a merged report sent again', () => {
  it('is answered as the first time and counted once, resent three times', async () => {
    server = await openApp();
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const kept = makeReport();
    // 20 m away, same cell and hour: merged into `kept`.
    const merged = makeReport({ ...offset(kept, 0, 20), reportedAt: '2026-05-04T10:40:00.000+02:00' });

    expect((await postReports(server.app, [kept])).statusCode).toBe(200);
    const first = await postReports(server.app, [merged]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: [merged.id], duplicates: [], rejected: [] });
    expect(await repeatsOf(server, kept.id)).toBe(1);
    const shown = await everythingShown(server, reviewer);
    expect(shown.rows).toBe(1);

    for (let resend = 1; resend <= 3; resend += 1) {
      const again = await postReports(server.app, [merged]);
      expect(again.statusCode).toBe(200);
      expect(again.body).toBe(first.body);
      expect(await repeatsOf(server, kept.id)).toBe(1);
      expect(await everythingShown(server, reviewer)).toEqual(shown);
    }
  });

  it('sent with the report it repeats, both again in one call, counts once', async () => {
    server = await openApp();
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const kept = makeReport();
    const merged = makeReport({ ...offset(kept, 15, -10) });
    const first = await postReports(server.app, [kept, merged]);
    expect(first.json()).toEqual({ accepted: [kept.id, merged.id], duplicates: [], rejected: [] });
    const shown = await everythingShown(server, reviewer);

    for (let resend = 1; resend <= 3; resend += 1) {
      // A fresh report in another cell rides along, as the phone's queue would send it.
      const elsewhere = makeReport({ ...offset(kept, 1000 * resend, 0) });
      const again = await postReports(server.app, [kept, merged, elsewhere]);
      expect(again.json()).toEqual({ accepted: [kept.id, merged.id, elsewhere.id], duplicates: [], rejected: [] });
      expect(await repeatsOf(server, kept.id)).toBe(1);
      expect(await repeatsOf(server, elsewhere.id)).toBe(0);
    }
    const after = await everythingShown(server, reviewer);
    expect(after.rows).toBe(shown.rows + 3);
  });

  it('while the report it was merged into is hidden, does not come back as a report of its own', async () => {
    server = await openApp();
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const kept = makeReport();
    const merged = makeReport({ ...offset(kept, -20, 0) });
    await postReports(server.app, [kept]);
    const first = await postReports(server.app, [merged]);
    const visible = await everythingShown(server, reviewer);

    const hide = (hidden: boolean) =>
      server!.app.inject({ method: 'PATCH', url: `/api/v1/reports/${kept.id}`, headers: reviewer.headers, payload: { hidden, reason: 'publicité' } });
    expect((await hide(true)).statusCode).toBe(200);
    const hidden = await everythingShown(server, reviewer);
    expect(JSON.parse(hidden.publicFeed).features).toEqual([]);
    expect(hidden.gridReports).toEqual([]);

    for (let resend = 1; resend <= 3; resend += 1) {
      const again = await postReports(server.app, [merged]);
      expect(again.body).toBe(first.body);
      expect(await everythingShown(server, reviewer)).toEqual(hidden);
    }

    // Shown again, it counts what was merged into it, once.
    expect((await hide(false)).statusCode).toBe(200);
    expect(await repeatsOf(server, kept.id)).toBe(1);
    expect(await everythingShown(server, reviewer)).toEqual(visible);
    expect((await postReports(server.app, [merged])).body).toBe(first.body);
    expect(await everythingShown(server, reviewer)).toEqual(visible);
  });

  it('tells an outsider nothing more than a resend of a stored report does', async () => {
    server = await openApp();
    const kept = makeReport();
    const merged = makeReport({ ...offset(kept, 0, -20) });
    const alone = makeReport({ ...offset(kept, 2000, 0) });
    await postReports(server.app, [kept, merged, alone]);
    const resend = async (report: Report) => {
      const before = (await server!.app.inject({ method: 'GET', url: '/api/v1/reports' })).body;
      const answer = await postReports(server!.app, [report]);
      const after = (await server!.app.inject({ method: 'GET', url: '/api/v1/reports' })).body;
      return { status: answer.statusCode, answer: answer.body.replace(report.id, 'ID'), feedChanged: before !== after };
    };
    expect(await resend(merged)).toEqual(await resend(alone));
    expect(await resend(merged)).toEqual({ status: 200, answer: '{"accepted":["ID"],"duplicates":[],"rejected":[]}', feedChanged: false });
  });

  it('deleted on the resident’s request (docs/security.md), is not brought back by a late resend', async () => {
    server = await openApp();
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const kept = makeReport();
    const merged = makeReport({ ...offset(kept, 0, 20) });
    await postReports(server.app, [kept, merged]);
    await adminSql(server.location, 'DELETE FROM reports WHERE id = ?', kept.id);
    const erased = await everythingShown(server, reviewer);
    expect(erased.rows).toBe(0);

    const again = await postReports(server.app, [kept, merged]);
    expect(again.json()).toEqual({ accepted: [kept.id, merged.id], duplicates: [], rejected: [] });
    expect(await everythingShown(server, reviewer)).toEqual(erased);
  });
});
