import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../../../src/domain/operators.ts';
import type { Reading } from '../../../src/domain/reading.ts';
import type { Report } from '../../../src/domain/report.ts';
import type { IngestResult, ReadingPlacement } from '../../../src/server/storage/reading-store.ts';
import type { Store } from '../../../src/server/storage/store.ts';
import { seededRandom } from '../../support/seeded-random.ts';
import { tableRows } from '../../support/test-store.ts';
import { makeReading, makeReport, useTempDir } from '../fixtures.ts';
import { EVERY_MONTH, recomputed, storedGrid } from '../grid-helpers.ts';
import { useStores } from './stores.ts';

/**
 * Several app processes writing the same readings and reports at the same moment (here two
 * stores, two connection pools, on one schema): each reading is stored once, and the grid rows
 * they share count every reading exactly once, neither lost (two merges overtaking each other)
 * nor twice.
 */

const { twoProcesses } = useStores(useTempDir());

/** The store's grid at every resolution and in both its forms equals the recomputation. */
async function expectGrid(store: Store, readings: Reading[], places: Map<string, ReadingPlacement>, reports: Report[] = []): Promise<void> {
  expect(await storedGrid(store, 200, undefined, EVERY_MONTH)).toEqual(recomputed(readings, places, 200, undefined, reports));
  expect(await storedGrid(store, 1000, undefined, EVERY_MONTH)).toEqual(recomputed(readings, places, 1000, undefined, reports));
  expect(await storedGrid(store, 1000)).toEqual(recomputed(readings, places, 1000, undefined, reports));
  expect(await storedGrid(store, 10_000)).toEqual(recomputed(readings, places, 10_000, undefined, reports));
}

/** Readings crowded into a few 200 m cells and months, so that concurrent batches share most grid rows. */
function crowdedReadings(next: () => number, count: number): Reading[] {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  return Array.from({ length: count }, () =>
    makeReading({
      lat: Number((43.7339 + (next() - 0.5) * 0.004).toFixed(6)),
      lon: Number((3.5494 + (next() - 0.5) * 0.004).toFixed(6)),
      recordedAt: `${pick(['2026-04', '2026-05'])}-0${1 + Math.floor(next() * 3)}T10:15:00.000+02:00`,
      operator: pick(OPERATORS.slice(0, 2)),
      signalDbm: -70 - Math.floor(next() * 60),
      setting: pick(['outdoor', 'indoor'] as const),
      source: next() < 0.1 ? 'resident' : 'agent',
    }),
  );
}

function shuffled<T>(values: readonly T[], next: () => number): T[] {
  const out = values.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('two processes ingesting at the same moment', () => {
  it('store each reading once, and the grid counts each exactly once', async () => {
    const [a, b, test] = await twoProcesses();
    const next = seededRandom(8);
    const readings = crowdedReadings(next, 1200);
    const places = new Map<string, ReadingPlacement>(
      readings.map((r) => [
        r.id,
        { accountId: next() < 0.2 ? null : `agent-${Math.floor(next() * 3)}`, commune: null, departement: next() < 0.7 ? '34' : null, outsideCommunes: false },
      ]),
    );
    const send = (store: Store, batch: Reading[]) =>
      store.ingest(
        batch,
        batch.map((r) => places.get(r.id)!),
      );

    const results: [Reading[], IngestResult][] = [];
    // Rounds of six calls at once, three per process: four disjoint quarters of the round's
    // readings (which share grid rows, not readings: their merges overlap), and two calls
    // resending halves of them with readings of the previous round (which wait on the others'
    // readings, then find them stored).
    for (let round = 0; round < 6; round += 1) {
      const fresh = readings.slice(round * 200, (round + 1) * 200);
      const quarters = [0, 1, 2, 3].map((q) => fresh.slice(q * 50, (q + 1) * 50));
      const earlier = readings.slice(Math.max(0, round * 200 - 50), round * 200);
      const batches = [...quarters, shuffled([...quarters[0]!, ...quarters[2]!, ...earlier], next), [...quarters[1]!, ...quarters[3]!].reverse()];
      const stores = [a, b, a, b, b, a];
      const answers = await Promise.all(batches.map((batch, i) => send(stores[i]!, batch)));
      answers.forEach((answer, i) => results.push([batches[i]!, answer]));
    }

    const acceptedTimes = new Map<string, number>();
    for (const [batch, result] of results) {
      expect(result.conflicts).toEqual([]);
      expect(result.accepted.length + result.duplicates.length).toBe(batch.length);
      expect(result.outcomes).toHaveLength(batch.length);
      for (const id of result.accepted) acceptedTimes.set(id, (acceptedTimes.get(id) ?? 0) + 1);
    }
    expect(acceptedTimes.size).toBe(readings.length);
    expect([...acceptedTimes.values()].every((times) => times === 1)).toBe(true);
    expect(results.reduce((sum, [, result]) => sum + result.accepted.length, 0)).toBe(readings.length);

    const { readings: rows } = await tableRows(test.location, ['readings']);
    expect(rows).toHaveLength(readings.length);
    expect(new Set(rows!.map((row) => (row as { id: string }).id)).size).toBe(readings.length);
    // Both processes page through the same readings, each once.
    for (const store of [a, b]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.query({ limit: 500, ...(cursor !== undefined && { cursor }) });
        seen.push(...page.readings.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen.sort()).toEqual(readings.map((r) => r.id).sort());
    }

    await expectGrid(a, readings, places);
    expect((await storedGrid(a, 200, undefined, EVERY_MONTH)).residents.length).toBeGreaterThan(0);
  });

  it('tell duplicates from conflicts when both send one id with different bodies', async () => {
    const [a, b] = await twoProcesses();
    for (let round = 0; round < 10; round += 1) {
      const reading = makeReading();
      const other = { ...reading, accuracyM: reading.accuracyM + 1 };
      const [first, second] = await Promise.all([a.ingest([reading, other, reading]), b.ingest([other, reading])]);
      // Whichever body won is accepted once; its other copies are duplicates and the other body's conflicts, wherever sent.
      const stored = (await a.query({ limit: 100 })).readings.find((r) => r.id === reading.id)!;
      const winner = stored.accuracyM === reading.accuracyM ? reading : other;
      const sent = [reading, other, reading, other, reading];
      const outcomes = [...first.outcomes, ...second.outcomes];
      expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
      expect(sent[outcomes.indexOf('accepted')]).toBe(winner);
      expect(outcomes.map((o) => (o === 'accepted' ? 'duplicate' : o))).toEqual(sent.map((r) => (r === winner ? 'duplicate' : 'conflict')));
      // The same body sent twice in one call: the first accepted or a duplicate, never the second alone.
      expect(first.outcomes[2]).not.toBe('accepted');
    }
  });

  it('count residents’ reports, their repeats and their hiding once', async () => {
    const [a, b] = await twoProcesses();
    const next = seededRandom(3);
    const options = { receivedAt: '2026-05-04T12:00:00.000Z' };
    // Far enough apart (more than a public 200 m cell) not to repeat one another.
    const reports = Array.from({ length: 60 }, (_, i) =>
      makeReport({
        lat: Number((43.72 + (i % 10) * 0.002).toFixed(6)),
        lon: Number((3.54 + Math.floor(i / 10) * 0.003).toFixed(6)),
        operator: OPERATORS[i % 4]!,
      }),
    );
    const items = (list: Report[]) => list.map((report) => ({ report, commune: '34261', departement: '34' }));
    // The same reports to both at once, in different orders, and some only to one.
    const [onA, onB] = await Promise.all([
      a.ingestReports(items(reports.slice(0, 45)), options),
      b.ingestReports(items(shuffled(reports.slice(15), next)), options),
    ]);
    expect([...onA, ...onB].filter((o) => o === 'accepted')).toHaveLength(reports.length);

    // Two residents reporting one spot at once from two processes: one report, one repeat.
    const spot = { lat: 43.76, lon: 3.56, operator: 'free' as const };
    const twins = [makeReport(spot), makeReport({ ...spot, lat: spot.lat + 0.0001 })];
    const twinOutcomes = await Promise.all([a.ingestReports(items([twins[0]!]), options), b.ingestReports(items([twins[1]!]), options)]);
    expect(twinOutcomes.flat().sort()).toEqual(['accepted', 'duplicate']);
    const kept = twins.find((_, i) => twinOutcomes[i]![0] === 'accepted')!;
    expect((await a.reportById(kept.id))?.repeats).toBe(1);

    const readings = crowdedReadings(next, 40);
    const places = new Map(readings.map((r) => [r.id, { accountId: 'agent-0', commune: null, departement: '34', outsideCommunes: false }]));
    await a.ingest(
      readings,
      readings.map((r) => places.get(r.id)!),
    );
    const visible = [...reports, kept];
    await expectGrid(b, readings, places, visible);

    // Both hide the same reports at once, each hides others alone, and both show some again.
    const hiddenTwice = reports.slice(0, 10);
    const hiddenOnce = reports.slice(10, 20);
    await Promise.all([
      ...hiddenTwice.flatMap((r) => [a.setReportHidden(r.id, true, 'doublon'), b.setReportHidden(r.id, true, 'doublon')]),
      ...hiddenOnce.map((r, i) => (i % 2 === 0 ? a : b).setReportHidden(r.id, true, 'publicité')),
    ]);
    const stillVisible = (hidden: Report[]) => visible.filter((r) => !hidden.includes(r));
    await expectGrid(a, readings, places, stillVisible([...hiddenTwice, ...hiddenOnce]));
    const shown = hiddenTwice.slice(0, 5);
    await Promise.all(shown.flatMap((r) => [a.setReportHidden(r.id, false, null), b.setReportHidden(r.id, false, null)]));
    await expectGrid(b, readings, places, stillVisible([...hiddenTwice.slice(5), ...hiddenOnce]));
  });

  it('count a report merged into another once, when both receive it at once, first sent or resent', async () => {
    const [a, b, test] = await twoProcesses();
    const options = { receivedAt: '2026-05-04T12:00:00.000Z' };
    const items = (list: Report[]) => list.map((report) => ({ report, commune: '34261', departement: '34' }));
    for (let round = 0; round < 8; round += 1) {
      // One spot per round, in cells far apart: `kept` is stored, `merged` repeats it.
      const spot = { lat: Number((43.72 + round * 0.003).toFixed(6)), lon: 3.55 };
      const kept = makeReport(spot);
      const merged = makeReport({ ...spot, lat: spot.lat + 0.0001 });
      expect(await a.ingestReports(items([kept]), options)).toEqual(['accepted']);
      // The phone sends it, the answer is lost, it sends again: both processes have it at once, twice.
      const [first, second] = round % 2 === 0 ? [a, b] : [b, a];
      const outcomes = await Promise.all([
        first.ingestReports(items([merged]), options),
        second.ingestReports(items([merged]), options),
        second.ingestReports(items([merged, kept]), options),
      ]);
      // A merge is a duplicate to the store (the route answers every valid report `accepted`).
      expect(outcomes.flat()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
      expect((await b.reportById(kept.id))?.repeats).toBe(1);
      expect(await a.reportById(merged.id)).toBeUndefined();
    }
    const { reports, report_ids: ids } = await tableRows(test.location, ['reports', 'report_ids']);
    expect(reports).toHaveLength(8);
    expect(ids).toHaveLength(16);
  });
});
