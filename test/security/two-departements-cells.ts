import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { addUser, makeReading, NIMES, postReadings, SAINT_GUILHEM, type Caller } from '../server/fixtures.ts';

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

type CellsBody = { features?: { properties: { commune: { code: string } | null } }[]; cells?: { commune: { code: string } | null }[] };

/** The départements of the communes an answer's cells lie in (GeoJSON or compact). */
export function departementsIn(body: CellsBody): (string | undefined)[] {
  return [...new Set((body.cells ?? body.features!.map((f) => f.properties)).map((cell) => cell.commune?.code.slice(0, 2)))];
}
