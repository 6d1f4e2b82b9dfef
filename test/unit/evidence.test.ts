import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FIELD_SETTINGS, type ProbeSettings } from '../../src/domain/field-settings.ts';
import { validateReading } from '../../src/domain/reading-schema.ts';
import { describeCallTest, describeConnection, describePosition, formatKbps } from '../../src/app/evidence/describe-evidence.ts';
import { probeBudgetMs, type ProbeRecord } from '../../src/app/evidence/probe.ts';
import { storeWithEvidence, type EvidenceDeps } from '../../src/app/evidence/store-with-evidence.ts';
import { buildReading, connectionSnapshot } from '../../src/app/survey/build-reading.ts';
import { callDurationS } from '../../src/app/survey/guided-test.ts';
import { nextOperator, spotAfterSave, stillAtSpot } from '../../src/app/survey/same-spot.ts';
import { distanceM } from '../../src/domain/geo.ts';
import { DEFAULT_CHOICES, choicesForNextReading } from '../../src/app/survey/survey-choices.ts';
import { addReading, applyServerVerdicts, attachProbe, earliestHold, getReading, pendingReadings, resubmitReading } from '../../src/store/outbox.ts';
import { flushOutbox } from '../../src/sync/flush.ts';
import { FakeServer } from './fake-server.ts';
import { NOW, freshDatabase, makeReading, signIn } from './helpers.ts';

class SilentChannel {
  postMessage(): void {}
  close(): void {}
}
vi.stubGlobal('BroadcastChannel', SilentChannel);

beforeEach(freshDatabase);

const PROBE: ProbeRecord = {
  startedAt: '2026-05-04T12:00:00.000+02:00',
  durationMs: 640,
  result: 'reachable',
  latencyMs: 85,
  latencySamples: 3,
  downloadKbps: 2400,
  uploadKbps: 800,
};

/** Deps whose probe the test finishes by hand, recording what happened in which order. */
function manualDeps(known: ProbeSettings | undefined = DEFAULT_FIELD_SETTINGS.probe, online = true) {
  const events: string[] = [];
  let finish!: (probe: ProbeRecord) => void;
  let fail!: (error: Error) => void;
  const deps: EvidenceDeps = {
    now: () => NOW,
    online: () => online,
    knownSettings: () => known,
    settings: async () => known ?? DEFAULT_FIELD_SETTINGS.probe,
    measure: () => {
      events.push('measure');
      return new Promise((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
    },
    onStored: (heldUntil) => events.push(`stored ${heldUntil === undefined ? 'free' : `held ${heldUntil - NOW}`}`),
    onEvidence: () => events.push('evidence'),
  };
  return { deps, events, finish: (probe: ProbeRecord) => finish(probe), fail: (error: Error) => fail(error) };
}

/** Lets the evidence chain reach its next await. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('saving with evidence', () => {
  it('stores the reading first, held for the probe’s budget, then attaches the probe and lets it go', async () => {
    const { deps, events, finish } = manualDeps();
    const reading = makeReading();
    const saved = await storeWithEvidence(reading, 'user-agent-1', {}, deps);

    // Durable before any measuring: the record is there, held, with no probe yet.
    const budget = probeBudgetMs(DEFAULT_FIELD_SETTINGS.probe);
    expect(await getReading(reading.id)).toEqual({
      id: reading.id,
      reading,
      state: 'pending',
      savedAt: NOW,
      measuredAt: Date.parse(reading.recordedAt),
      recordedBy: 'user-agent-1',
      heldUntil: NOW + budget,
    });
    await settle();
    expect(events).toEqual([`stored held ${budget}`, 'measure']);

    finish(PROBE);
    await expect(saved.evidence).resolves.toEqual(PROBE);
    const record = await getReading(reading.id);
    expect(record?.reading).toEqual({ ...reading, probe: PROBE });
    expect(record).not.toHaveProperty('heldUntil');
    expect(events).toEqual([`stored held ${budget}`, 'measure', 'evidence']);
    expect(validateReading(record!.reading).ok).toBe(true);
  });

  it('does not hold or measure a reading saved with probe: false', async () => {
    const { deps, events } = manualDeps();
    const reading = makeReading();
    const saved = await storeWithEvidence(reading, undefined, { probe: false }, deps);
    await expect(saved.evidence).resolves.toBeUndefined();
    expect(events).toEqual(['stored free']);
    expect(await getReading(reading.id)).not.toHaveProperty('heldUntil');
  });

  it('does not hold a reading when the deployment turned the probe off', async () => {
    const { deps, events } = manualDeps({ ...DEFAULT_FIELD_SETTINGS.probe, enabled: false });
    const saved = await storeWithEvidence(makeReading(), undefined, {}, deps);
    await expect(saved.evidence).resolves.toBeUndefined();
    expect(events).toEqual(['stored free']);
  });

  it('releases the reading without a probe when measuring throws', async () => {
    const { deps, events, fail } = manualDeps();
    const reading = makeReading();
    const saved = await storeWithEvidence(reading, undefined, {}, deps);
    await settle();
    fail(new Error('boom'));
    await expect(saved.evidence).resolves.toBeUndefined();
    const record = await getReading(reading.id);
    expect(record?.reading).toEqual(reading);
    expect(record).not.toHaveProperty('heldUntil');
    expect(events.at(-1)).toBe('evidence');
  });

  it('records « device offline » with the save itself when the phone says it has no network: nothing held, nothing measured', async () => {
    const { deps, events } = manualDeps(DEFAULT_FIELD_SETTINGS.probe, false);
    const reading = makeReading();
    const saved = await storeWithEvidence(reading, 'user-agent-1', {}, deps);
    const offline = { startedAt: expect.any(String), durationMs: 0, result: 'device-offline' };
    await expect(saved.evidence).resolves.toEqual(offline);
    expect(events).toEqual(['stored free']);
    const record = await getReading(reading.id);
    expect(record).not.toHaveProperty('heldUntil');
    expect(record?.reading).toEqual({ ...reading, probe: offline });
    expect(validateReading(record!.reading).ok).toBe(true);
  });

  it('lets the caller store the reading its own way (a track point), held, then measured', async () => {
    const { deps, events, finish } = manualDeps();
    const reading = makeReading();
    const budget = probeBudgetMs(DEFAULT_FIELD_SETTINGS.probe);
    const storedWith: [number, number | undefined][] = [];
    const saved = await storeWithEvidence(
      reading,
      undefined,
      {
        store: async (savedAt, heldUntil, toStore) => {
          storedWith.push([savedAt, heldUntil]);
          await addReading(toStore, savedAt, 'user-agent-1', heldUntil === undefined ? {} : { heldUntil });
          return true;
        },
      },
      deps,
    );
    expect(storedWith).toEqual([[NOW, NOW + budget]]);
    await settle();
    finish(PROBE);
    await expect(saved.evidence).resolves.toEqual(PROBE);
    expect((await getReading(reading.id))?.reading.probe).toEqual(PROBE);
    expect(events).toEqual([`stored held ${budget}`, 'measure', 'evidence']);
  });

  it('measures and announces nothing when the caller’s store declines the reading', async () => {
    const { deps, events } = manualDeps();
    const reading = makeReading();
    const saved = await storeWithEvidence(reading, undefined, { store: async () => false }, deps);
    await expect(saved.evidence).resolves.toBeUndefined();
    expect(events).toEqual([]);
    expect(await getReading(reading.id)).toBeUndefined();
  });

  it('still saves when the settings are not known yet, held for the default budget', async () => {
    const { deps } = manualDeps(undefined);
    const reading = makeReading();
    await storeWithEvidence(reading, undefined, {}, deps);
    expect((await getReading(reading.id))?.heldUntil).toBe(NOW + probeBudgetMs(DEFAULT_FIELD_SETTINGS.probe));
  });
});

describe('held readings', () => {
  it('are skipped by pendingReadings until heldUntil passes', async () => {
    const held = makeReading();
    const free = makeReading();
    await addReading(held, 1, undefined, { heldUntil: NOW + 10_000 });
    await addReading(free, 2);
    expect((await pendingReadings(10, undefined, NOW)).map((r) => r.id)).toEqual([free.id]);
    expect((await pendingReadings(10, 'someone', NOW + 9_999)).map((r) => r.id)).toEqual([free.id]);
    // A page closed mid-probe: the hold expires and the reading leaves as it is, oldest first.
    expect((await pendingReadings(10, undefined, NOW + 10_000)).map((r) => r.id)).toEqual([held.id, free.id]);
  });

  it('tell when the first of them may leave, so that a page that did not hold them still sends them', async () => {
    expect(await earliestHold(NOW)).toBeUndefined();
    await addReading(makeReading(), 1, undefined, { heldUntil: NOW + 30_000 });
    await addReading(makeReading(), 2, undefined, { heldUntil: NOW + 12_000 });
    await addReading(makeReading(), 3, undefined, { heldUntil: NOW - 1 });
    await addReading(makeReading(), 4);
    expect(await earliestHold(NOW)).toBe(NOW + 12_000);
    expect(await earliestHold(NOW + 12_000)).toBe(NOW + 30_000);
    expect(await earliestHold(NOW + 30_000)).toBeUndefined();
  });

  it('still fill the batch limit with sendable readings behind a held one', async () => {
    const held = makeReading();
    await addReading(held, 1, undefined, { heldUntil: Number.MAX_SAFE_INTEGER });
    const others = [makeReading(), makeReading()];
    for (const [i, reading] of others.entries()) await addReading(reading, 2 + i);
    expect((await pendingReadings(2)).map((r) => r.id)).toEqual(others.map((r) => r.id));
  });

  it('are not sent by a flush while held, and are once released', async () => {
    await signIn();
    const server = new FakeServer();
    const held = makeReading();
    const free = makeReading();
    await addReading(held, 1, 'user-agent-1', { heldUntil: Number.MAX_SAFE_INTEGER });
    await addReading(free, 2, 'user-agent-1');

    const first = await flushOutbox({ fetch: server.fetch });
    expect(first).toMatchObject({ sent: 1, pending: 1 });
    expect(first.error).toBeUndefined();
    expect([...server.stored.keys()]).toEqual([free.id]);

    expect(await attachProbe(held, PROBE)).toBe(true);
    await flushOutbox({ fetch: server.fetch });
    expect(JSON.parse(server.stored.get(held.id)!)).toMatchObject({ id: held.id, probe: { result: 'reachable', latencyMs: 85 } });
    expect((await getReading(held.id))?.state).toBe('sent');
  });
});

describe('attachProbe', () => {
  it('refuses to touch a reading already sent', async () => {
    const reading = makeReading();
    await addReading(reading, 1, undefined, { heldUntil: NOW });
    await applyServerVerdicts({ stored: [reading.id], refused: [] });
    expect(await attachProbe(reading, PROBE)).toBe(false);
    const record = await getReading(reading.id);
    expect(record?.state).toBe('sent');
    expect(record?.reading).toEqual(reading);
  });

  it('refuses to touch a reading refused, then corrected under the same id', async () => {
    const reading = makeReading();
    await addReading(reading, 1, undefined, { heldUntil: NOW });
    await applyServerVerdicts({ stored: [], refused: [{ id: reading.id, code: 'invalid', errors: [] }] });
    const corrected = { ...reading, signalBars: 1 };
    await resubmitReading(reading.id, corrected);
    expect(await attachProbe(reading, PROBE)).toBe(false);
    expect((await getReading(reading.id))?.reading).toEqual(corrected);
  });

  it('does nothing for a reading deleted meanwhile', async () => {
    expect(await attachProbe(makeReading(), PROBE)).toBe(false);
    expect(await pendingReadings(10)).toEqual([]);
  });

  it('releases the hold without a probe when given none', async () => {
    const reading = makeReading();
    await addReading(reading, 1, undefined, { heldUntil: Number.MAX_SAFE_INTEGER });
    expect(await attachProbe(reading, undefined)).toBe(false);
    expect((await pendingReadings(10)).map((r) => r.reading)).toEqual([reading]);
  });
});

describe('what a reading records beside the agent’s entries', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says the connection is not available where the browser has no Network Information API', () => {
    vi.stubGlobal('navigator', {});
    expect(connectionSnapshot()).toEqual({ available: false });
    vi.stubGlobal('navigator', { connection: { type: 'cellular', effectiveType: '3g', downlink: 1.45, rtt: 300 } });
    expect(connectionSnapshot()).toEqual({ available: true, type: 'cellular', effectiveType: '3g', downlinkMbps: 1.45, rttMs: 300 });
    expect(describeConnection({ available: false })).toBe('Réseau selon le navigateur : information non disponible');
    expect(describeConnection({ available: true, effectiveType: '4g', downlinkMbps: 10, rttMs: 50 })).toBe(
      'Réseau selon le navigateur : 4g, ~10,0 Mbit/s, 50 ms',
    );
  });

  it('builds a reading with the campaign, the guided call test and the connection, valid on the wire', () => {
    vi.stubGlobal('navigator', {});
    const choices = {
      ...DEFAULT_CHOICES,
      operator: 'sfr' as const,
      technology: '4G' as const,
      signalBars: 4,
      voice: 'dropped' as const,
      callTest: { startedAt: '2026-05-04T11:58:00.000+02:00', durationS: 42 },
    };
    const fix = { lat: 43.7339, lon: 3.5494, accuracyM: 8, altitudeM: 95, speedMps: 0, takenAt: NOW - 3_000 };
    const candidate = buildReading(crypto.randomUUID(), choices, fix, new Date(NOW), {
      campaignId: '0b8f1d9e-3c55-4f55-9a3e-7b1c2d3e4f50',
      communeInsee: '34261',
    });
    const validation = validateReading(candidate);
    expect(validation.ok).toBe(true);
    expect(candidate).toMatchObject({
      campaignId: '0b8f1d9e-3c55-4f55-9a3e-7b1c2d3e4f50',
      communeInsee: '34261',
      voice: 'dropped',
      callTest: { durationS: 42 },
      connection: { available: false },
      positionAgeMs: 3_000,
    });
    expect(describeCallTest({ voice: 'dropped', callTest: { startedAt: '', durationS: 42 } })).toBe('Test d’appel guidé : coupé après 42 s');
    expect(describePosition({ altitudeM: 95, speedMps: 1, positionAgeMs: 3_000 })).toBe('Altitude 95 m · vitesse 3,6 km/h · position prise 3 s avant');
  });

  it('drops a guided test record whose answer was set back to « Non testé »', () => {
    vi.stubGlobal('navigator', {});
    const choices = {
      ...DEFAULT_CHOICES,
      operator: 'sfr' as const,
      technology: 'none' as const,
      voice: 'not-tested' as const,
      callTest: { startedAt: '2026-05-04T11:58:00.000+02:00', durationS: 60 },
    };
    const candidate = buildReading(crypto.randomUUID(), choices, { lat: 43.7, lon: 3.5, accuracyM: 5, takenAt: NOW }, new Date(NOW));
    expect(candidate).not.toHaveProperty('callTest');
    expect(choicesForNextReading({ ...choices, voice: 'ok', smsTest: { startedAt: 'x' } })).not.toHaveProperty('callTest');
  });

  it('times a guided call to « Appel terminé », never beyond the minute', () => {
    expect(callDurationS({ startedAt: NOW, endedAt: NOW + 42_400, number: '3179' }, NOW + 90_000)).toBe(42);
    expect(callDurationS({ startedAt: NOW, number: '3179' }, NOW + 90_000)).toBe(60);
  });

  it('writes throughputs in French', () => {
    expect(formatKbps(2400)).toBe('2,4 Mbit/s');
    expect(formatKbps(85)).toBe('85 kbit/s');
  });
});

describe('same spot, another operator', () => {
  const fix = { lat: 43.7339, lon: 3.5494, accuracyM: 10, takenAt: NOW };

  it('keeps the spot’s fix and grows the operators done while following it', () => {
    let spot = spotAfterSave(undefined, fix, 'orange');
    expect(nextOperator(['orange', 'sfr', 'free'], spot)).toBe('sfr');
    spot = spotAfterSave({ ...spot, following: true }, { ...fix, lat: 43.734, takenAt: NOW + 60_000 }, 'sfr');
    expect(spot).toEqual({ fix, done: ['orange', 'sfr'], following: false });
    expect(nextOperator(['orange', 'sfr', 'free'], spot)).toBe('free');
    expect(nextOperator(['orange', 'sfr'], spot)).toBeUndefined();
  });

  it('starts a new spot on a save that did not follow it', () => {
    const spot = spotAfterSave(spotAfterSave(undefined, fix, 'orange'), { ...fix, takenAt: NOW + 1 }, 'sfr');
    expect(spot.done).toEqual(['sfr']);
    expect(spot.fix.takenAt).toBe(NOW + 1);
  });

  it('ends when the agent has moved more than 30 m', () => {
    const spot = spotAfterSave(undefined, fix, 'orange');
    // 0.0002° of latitude ≈ 22 m; 0.0003° ≈ 33 m.
    expect(distanceM(fix, { lat: fix.lat + 0.0002, lon: fix.lon })).toBeCloseTo(22.2, 0);
    expect(stillAtSpot(spot, { ...fix, lat: fix.lat + 0.0002 })).toBe(true);
    expect(stillAtSpot(spot, { ...fix, lat: fix.lat + 0.0003 })).toBe(false);
  });
});
