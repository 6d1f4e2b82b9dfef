import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  makeReading,
  makeReport,
  openTestApp,
  postReadings,
  postReports,
  SAINT_GUILHEM,
  useTempDir,
  type Caller,
  type TestApp,
} from '../server/fixtures.ts';

/**
 * Attack: an agent sees residents' reports only as the public feed shows them, in their ~200 m
 * public cell (src/domain/report-public.ts). GET /api/v1/cells counted each report in its
 * INSPIRE 200 m cell, another grid: laid over the public one, an agent narrowed a report down
 * to the overlap of the two cells (about 100 m). The grid an agent sees now counts no
 * residents' reports at all (as open data and the sampling plan); a reviewer's still does, and
 * the two never share a kept answer or an ETag.
 */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
let reviewer: Caller;

const BOX = '/api/v1/cells?bbox=3.53,43.72,3.57,43.75&resolution=200';

beforeAll(async () => {
  server = await openTestApp(tempDir());
  agent = await addUser(server.app, { communes: ['34254'] });
  reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
  expect((await postReadings(server.app, [makeReading({ ...SAINT_GUILHEM, operator: 'sfr' })], agent)).statusCode).toBe(200);
  expect((await postReports(server.app, [makeReport()])).statusCode).toBe(200);
});
afterAll(() => server.close());

type Cell = { residentReports: number };
const cellsOf = (body: { features?: { properties: Cell }[]; cells?: Cell[] }) => body.cells ?? body.features!.map((f) => f.properties);
const reportsIn = (cells: Cell[]) => cells.reduce((sum, cell) => sum + cell.residentReports, 0);

describe('residents’ reports in the grid an agent sees', () => {
  for (const format of ['geojson', 'compact'] as const) {
    it(`are not counted per INSPIRE cell (${format}), even right after a reviewer's view of the same box`, async () => {
      const url = `${BOX}&format=${format}`;
      const seen = await server.app.inject({ method: 'GET', url, headers: reviewer.headers });
      expect(seen.statusCode).toBe(200);
      expect(reportsIn(cellsOf(seen.json()))).toBe(1);

      const agentView = await server.app.inject({ method: 'GET', url, headers: agent.headers });
      expect(agentView.statusCode).toBe(200);
      expect(reportsIn(cellsOf(agentView.json()))).toBe(0);
      expect(agentView.headers.etag).not.toBe(seen.headers.etag);

      const replayed = await server.app.inject({ method: 'GET', url, headers: { ...agent.headers, 'if-none-match': seen.headers.etag as string } });
      expect(replayed.statusCode).toBe(200);
      expect(reportsIn(cellsOf(replayed.json()))).toBe(0);
    });
  }
});
