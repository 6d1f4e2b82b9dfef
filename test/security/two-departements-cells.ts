import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { tileOfCell, type CellTile } from '../../src/domain/grid/cell-tiles.ts';
import { addUser, makeReading, makeReport, NIMES, postReadings, postReports, SAINT_GUILHEM, type Caller } from '../server/fixtures.ts';

/**
 * The setting of the cells cache's attacks across scopes (cells-*-other-departement): readings
 * of three operators in Saint-Guilhem (34) and in Nîmes (30), sent by an agent, and a reviewer
 * of each département.
 */

/** Saint-Guilhem (34) to Nîmes (30), at 1 km. */
export const BOTH_DEPARTEMENTS = '/api/v1/cells?bbox=3.4,43.6,4.5,43.9&resolution=1000';

export interface TwoDepartements {
  agent: Caller;
  herault: Caller;
  gard: Caller;
}

export async function surveyTwoDepartements(app: FastifyInstance): Promise<TwoDepartements> {
  const agent = await addUser(app);
  const herault = await addUser(app, { role: 'reviewer', departement: '34' });
  const gard = await addUser(app, { role: 'reviewer', departement: '30' });
  const readings = [SAINT_GUILHEM, NIMES].flatMap((place) =>
    ['orange', 'sfr', 'free'].map((operator) => makeReading({ ...place, operator: operator as 'orange' })),
  );
  expect((await postReadings(app, readings, agent)).statusCode).toBe(200);
  return { agent, herault, gard };
}

/** 250 km tiles at 5 km: one holds Saint-Guilhem (34) and Nîmes (30). */
export const BORDER_TILE: CellTile = tileOfCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 5000)!);

/**
 * The survey of the tiles across the border (cells-tile-*, cells-kept-*): {@link surveyTwoDepartements},
 * an admin, and with `reports` a resident's report in Saint-Guilhem and one in Nîmes.
 */
export async function surveyBorder(app: FastifyInstance, { reports = false } = {}): Promise<TwoDepartements & { admin: Caller }> {
  const survey = await surveyTwoDepartements(app);
  const admin = await addUser(app, { role: 'admin' });
  if (reports) expect((await postReports(app, [makeReport({ ...SAINT_GUILHEM }), makeReport({ ...NIMES })])).statusCode).toBe(200);
  return { ...survey, admin };
}

type CellsBody = { features?: { properties: { commune: { code: string } | null } }[]; cells?: { commune: { code: string } | null }[] };

/** The départements of the communes an answer's cells lie in (GeoJSON or compact). */
export function departementsIn(body: CellsBody): (string | undefined)[] {
  return [...new Set((body.cells ?? body.features!.map((f) => f.properties)).map((cell) => cell.commune?.code.slice(0, 2)))];
}

/** What the border's tests read of a compact answer. */
export type CompactAnswer = { cells: { commune: { code: string } | null; residentReports: number }[] };

/**
 * The answers of the border's tile to the Hérault's and the Gard's reviewers, the agent and the
 * admin ({@link surveyBorder} with reports), by who asked: each holds its own cells and
 * residents' reports, under its own ETag.
 */
export function expectEachTheirOwn(answers: Map<string, { etag: string; body: CompactAnswer }>): void {
  expect(departementsIn(answers.get('herault')!.body)).toEqual(['34']);
  expect(departementsIn(answers.get('gard')!.body)).toEqual(['30']);
  expect(departementsIn(answers.get('agent')!.body)).toEqual(['34']);
  expect(departementsIn(answers.get('admin')!.body).sort()).toEqual(['30', '34']);
  const reportsIn = (body: CompactAnswer) => body.cells.reduce((sum, cell) => sum + cell.residentReports, 0);
  expect(reportsIn(answers.get('herault')!.body)).toBe(1);
  expect(reportsIn(answers.get('agent')!.body)).toBe(0);
  expect(new Set([...answers.values()].map((answer) => answer.etag)).size).toBe(4);
}
