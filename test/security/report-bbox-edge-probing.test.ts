import { describe, expect, it } from 'vitest';
import { publicCell } from '../../src/domain/report-public.ts';
import { useTempDir } from '../server/fixtures.ts';
import { offset, probes, read, send, useWorlds, type World } from './report-observer.ts';

/**
 * Issue 14, the public feed's box: GET /api/v1/reports?bbox= searched the exact positions in
 * the box widened by 400 m, took a page of them, then dropped those whose coarse position
 * lay outside the box. The dropped ones still took room in the page and made a nextCursor
 * appear, so sliding the box's edge metre by metre with limit=1 told when the widened edge
 * crossed a report's exact position. Now what the box leaves out leaves no trace in the page.
 */

const tempDir = useTempDir();
const world = useWorlds(tempDir);

const cell = publicCell(43.7339, 3.5494);
const centre = { lat: cell.centre[1], lon: cell.centre[0] };

/** The attacker's own report 2 km north, then boxes whose south edge moves north from the cell's edge, 20 m at a time. */
async function slideTheEdge(target: World): Promise<unknown[]> {
  const own = probes(target, [{ ...offset(centre, 2000, 0), operator: 'orange' }]);
  const seen: unknown[] = [await send(target, own)];
  for (let metres = 10; metres <= 610; metres += 20) {
    const south = offset({ lat: cell.bounds.maxLat, lon: centre.lon }, metres, 0).lat;
    const bbox = [cell.bounds.minLon - 0.01, south, cell.bounds.maxLon + 0.01, own[0]!.lat + 0.001].join(',');
    seen.push(await read(target, `bbox=${bbox}&limit=1`));
  }
  return seen;
}

describe('probing a report’s position with the edge of a box', () => {
  it('learns the same from two secrets in the same public cell, ~90 m apart', async () => {
    const one = await world(offset(centre, 30, 0));
    const other = await world(offset(centre, -60, 0));
    const seenOfOne = await slideTheEdge(one);
    expect(seenOfOne).toEqual(await slideTheEdge(other));
    // Every box showed the attacker's report alone, and no cursor to a page the box leaves empty.
    for (const answer of seenOfOne.slice(1)) {
      expect(answer).toMatchObject({ status: 200, body: { features: [{ id: 'probe 1' }] } });
      expect(answer).not.toHaveProperty('body.nextCursor');
    }
  });

  it('still pages through what a box holds, a report per page', async () => {
    const target = await world(centre);
    const bbox = [cell.bounds.minLon - 0.01, cell.bounds.minLat - 0.01, cell.bounds.maxLon + 0.01, cell.bounds.maxLat + 0.02].join(',');
    const own = probes(target, [{ ...offset(centre, 1000, 0) }, { ...offset(centre, 5000, 0) }, { ...offset(centre, 0, 300), operator: 'free' }]);
    await send(target, own);
    const ids: unknown[] = [];
    let cursor: string | undefined;
    do {
      const { body } = (await read(target, `bbox=${bbox}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)) as {
        body: { features: { id: string }[]; nextCursor?: string };
      };
      ids.push(...body.features.map((f) => f.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(ids).toEqual(['not the attacker’s', 'probe 1', 'probe 3']);
  });
});
