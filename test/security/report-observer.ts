import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { DEFAULT_SECURITY } from '../../src/server/config.ts';
import { makeReport, openTestApp, type TestApp } from '../server/fixtures.ts';
import type { Report } from '../../src/domain/report.ts';

/**
 * What an anonymous caller sees of residents' reports, for the attacks on their positions
 * (test/security/report-*.test.ts): worlds holding one resident's report at a secret place and
 * time, and an attacker who reads only public answers, with every id they did not make written
 * as the same word, so that two worlds can be compared observation by observation.
 */

export const ATTACKER = '198.51.100.66';
const RESIDENT = '203.0.113.5';

const METRES_PER_DEGREE = 111_320;

/** The point `north` and `east` metres from `from`. */
export function offset(from: { lat: number; lon: number }, north: number, east: number): { lat: number; lon: number } {
  return {
    lat: from.lat + north / METRES_PER_DEGREE,
    lon: from.lon + east / (METRES_PER_DEGREE * Math.cos((from.lat * Math.PI) / 180)),
  };
}

export interface World {
  app: FastifyInstance;
  secret: Report;
  /** Labels of the attacker's own reports, by id. */
  labels: Map<string, string>;
}

/** Opens worlds with the default rate limits (an attack must fit in them), closed after each test. */
export function useWorlds(tempDir: () => string): (secret: Partial<Report>) => Promise<World> {
  const opened: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((server) => server.close()));
  });
  return async (secret) => {
    const server = await openTestApp(tempDir(), { security: DEFAULT_SECURITY });
    opened.push(server);
    const report = makeReport(secret);
    const sent = await server.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { reports: [report] }, remoteAddress: RESIDENT });
    if (sent.statusCode !== 200) throw new Error(sent.body);
    return { app: server.app, secret: report, labels: new Map() };
  };
}

/** The attacker's reports, labelled in the order made. */
export function probes(world: World, places: readonly Partial<Report>[]): Report[] {
  return places.map((place) => {
    const probe = makeReport(place);
    world.labels.set(probe.id, `probe ${world.labels.size + 1}`);
    return probe;
  });
}

const label = (world: World, id: unknown) => (typeof id === 'string' && world.labels.get(id)) || 'not the attacker’s';

/** POST as the attacker; the answer as they can compare it across worlds. */
export async function send(world: World, reports: readonly Report[]): Promise<unknown> {
  const response = await world.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { reports }, remoteAddress: ATTACKER });
  return { status: response.statusCode, body: relabel(world, response.json()) };
}

/** GET /api/v1/reports as the attacker (`query` without "?"); the answer relabelled. */
export async function read(world: World, query = ''): Promise<unknown> {
  const response = await world.app.inject({ method: 'GET', url: `/api/v1/reports${query && `?${query}`}`, remoteAddress: ATTACKER });
  return { status: response.statusCode, body: relabel(world, response.json()) };
}

/** The public features, as a list to diff. */
export async function feed(world: World): Promise<{ id: string; coordinates: number[]; properties: Record<string, unknown> }[]> {
  const { body } = (await read(world)) as { body: { features: { id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] } };
  return body.features.map((f) => ({ id: f.id, coordinates: f.geometry.coordinates, properties: f.properties }));
}

/** What one POST of probes changes, as the attacker sees it: the answer, and the features that changed or appeared. */
export async function effectOf(world: World, reports: readonly Report[]): Promise<unknown> {
  const before = await feed(world);
  const answer = await send(world, reports);
  const after = await feed(world);
  const was = new Map(before.map((f) => [JSON.stringify(f.id), JSON.stringify(f)]));
  return { answer, changed: after.filter((f) => was.get(JSON.stringify(f.id)) !== JSON.stringify(f)) };
}

function relabel(world: World, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => relabel(world, item));
  if (typeof value === 'string') return world.labels.has(value) || /^[0-9a-f-]{36}$/.test(value) ? label(world, value) : value;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, relabel(world, item)]));
}
