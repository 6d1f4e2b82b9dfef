import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/domain/report.ts';
import { publicCell } from '../../src/domain/report-public.ts';
import { useTempDir } from '../server/fixtures.ts';
import { effectOf, feed, offset, probes, useWorlds, type World } from './report-observer.ts';

/**
 * Issue 14: a resident's report merged a new one into it when it came within 50 m and an hour,
 * and said so (`duplicates`), and the public feed counted it (`repeats`). Anonymous probes —
 * a grid, then "rulers" of 50 points, reading the answers and the feed between them — found
 * the stored position to the metre and the time to the second in 7 requests. Now a report
 * repeats another only in the same public cell and hour, and every valid report is answered
 * `accepted`: two secrets in the same cell and hour look the same to any prober.
 */

const tempDir = useTempDir();
const world = useWorlds(tempDir);

const cell = publicCell(43.7339, 3.5494);
const centre = { lat: cell.centre[1], lon: cell.centre[0] };
const MINUTE = 60_000;

/** The attack as the tester ran it, within the default rate limits: 4 POSTs and 9 GETs. */
async function attack(target: World): Promise<unknown[]> {
  const seen: unknown[] = [];
  const [public_] = await feed(target);
  seen.push(public_);
  const [lon, lat] = public_!.coordinates as [number, number];
  const { operator, problem, setting } = public_!.properties as Pick<Report, 'operator' | 'problem' | 'setting'>;
  const hour = Date.parse(public_!.properties.reportedAt as string);
  const like = (place: { lat: number; lon: number }, atMs = hour + 30 * MINUTE): Partial<Report> => ({
    ...place,
    operator,
    problem,
    setting,
    reportedAt: new Date(atMs).toISOString(),
  });
  const around = { lat, lon };

  // A 7 × 7 grid of probes 40 m apart around the public centre: which ones merged?
  const grid = Array.from({ length: 49 }, (_, i) => like(offset(around, (Math.floor(i / 7) - 3) * 40, ((i % 7) - 3) * 40)));
  seen.push(await effectOf(target, probes(target, grid)));
  // Rulers of 50 points 2 m apart through it, east–west then north–south.
  seen.push(
    await effectOf(
      target,
      probes(
        target,
        Array.from({ length: 50 }, (_, i) => like(offset(around, 0, -50 + 2 * i))),
      ),
    ),
  );
  seen.push(
    await effectOf(
      target,
      probes(
        target,
        Array.from({ length: 50 }, (_, i) => like(offset(around, -50 + 2 * i, 0))),
      ),
    ),
  );
  // A ruler in time: 50 probes 72 s apart through the next hour.
  seen.push(
    await effectOf(
      target,
      probes(
        target,
        Array.from({ length: 50 }, (_, i) => like(around, hour + 60 * MINUTE + i * 72_000)),
      ),
    ),
  );
  return seen;
}

describe('probing a report’s position and time with repeats', () => {
  it('learns the same from two secrets in the same public cell and hour, ~90 m and 28 min apart', async () => {
    const one = await world({ ...offset(centre, 13, -27), reportedAt: '2026-05-04T09:23:17Z' });
    const other = await world({ ...offset(centre, -48, 31), reportedAt: '2026-05-04T09:51:40Z' });
    const seenOfOne = await attack(one);
    expect(seenOfOne).toEqual(await attack(other));
    // The probes did reach the report: the public count of repeats moved, the same in both.
    const target = (await feed(one)).find((f) => f.id === 'not the attacker’s');
    expect(target?.properties.repeats).toBeGreaterThan(0);
  });

  it('changes the same things for a probe 40 m and one 60 m from the report, in its cell or in the next one', async () => {
    const inCell = offset(centre, 0, -10);
    const effects = [];
    for (const east of [40, 60]) {
      const target = await world({ ...inCell, reportedAt: '2026-05-04T09:23:17Z' });
      effects.push(await effectOf(target, probes(target, [{ ...offset(inCell, 0, east), reportedAt: '2026-05-04T09:23:17Z' }])));
    }
    expect(effects[0]).toEqual(effects[1]);
    expect(effects[0]).toMatchObject({
      answer: { status: 200, body: { accepted: ['probe 1'], duplicates: [], rejected: [] } },
      changed: [{ id: 'not the attacker’s', properties: { repeats: 1 } }],
    });

    // 20 m from the cell's west edge: 40 m and 60 m west are both in the next cell.
    const nearEdge = offset({ lat: centre.lat, lon: cell.bounds.minLon }, 0, 20);
    const across = [];
    for (const west of [40, 60]) {
      const target = await world({ ...nearEdge, reportedAt: '2026-05-04T09:23:17Z' });
      across.push(await effectOf(target, probes(target, [{ ...offset(nearEdge, 0, -west), reportedAt: '2026-05-04T09:23:17Z' }])));
    }
    expect(across[0]).toEqual(across[1]);
    expect(across[0]).toMatchObject({ answer: { body: { accepted: ['probe 1'] } }, changed: [{ id: 'probe 1', properties: { repeats: 0 } }] });
  });

  it('changes the same things for probes at 5 s and at 50 min of an hour, that of the report or the next', async () => {
    const secret = { ...offset(centre, 21, 8), reportedAt: '2026-05-04T09:40:00Z' };
    for (const [early, late] of [
      ['2026-05-04T09:00:05Z', '2026-05-04T09:50:00Z'],
      ['2026-05-04T10:00:05Z', '2026-05-04T10:50:00Z'],
    ] as const) {
      const effects = [];
      for (const reportedAt of [early, late]) {
        const target = await world(secret);
        effects.push(await effectOf(target, probes(target, [{ ...secret, reportedAt }])));
      }
      expect(effects[0], `${early} and ${late}`).toEqual(effects[1]);
    }
  });
});
