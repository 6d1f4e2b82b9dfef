import {
  callOutcome,
  downloadMbps,
  pageOutcome,
  PROTOCOLS,
  protocolOf,
  smsOutcome,
  THROUGHPUT_CLASSES,
  throughputClass,
  uploadOutcome,
  type Protocol,
  type ProtocolFacts,
  type TestOutcome,
  type ThroughputClass,
} from '../protocol.ts';

/**
 * Conforming tests of a group of readings, counted per protocol and per kind, each judged by
 * src/domain/protocol.ts (the one place that says what a success is). A test that does not
 * conform to its protocol (a call hung up before the hold time, an SMS without its delay under
 * QoS) is not counted at all: it is no evidence either way. Plain JSON, mergeable by addition.
 */
export interface TestTally {
  call: Record<TestOutcome, number>;
  sms: Record<BinaryOutcome, number>;
  upload: Record<BinaryOutcome, number>;
  page: Record<BinaryOutcome, number>;
  /** Download tests by Arcep's throughput class. */
  download: Record<ThroughputClass, number>;
  /** Data tests not attempted because the phone said it had no network (« appareil hors ligne »). */
  offline: number;
}

type BinaryOutcome = Exclude<TestOutcome, 'partial'>;

/** Per protocol; a protocol appears once one of its tests is counted. */
export type ProtocolTallies = Partial<Record<Protocol, TestTally>>;

export function emptyTally(): TestTally {
  return {
    call: { success: 0, partial: 0, failure: 0 },
    sms: { success: 0, failure: 0 },
    upload: { success: 0, failure: 0 },
    page: { success: 0, failure: 0 },
    download: { '<3': 0, '3-8': 0, '8-30': 0, '>30': 0 },
    offline: 0,
  };
}

/** Folds one reading's conforming tests into `tallies` (mutated); false when it had none. */
export function tallyTests(tallies: ProtocolTallies, facts: ProtocolFacts): boolean {
  const call = callOutcome(facts);
  const sms = smsOutcome(facts);
  const upload = uploadOutcome(facts.dataTest);
  const page = pageOutcome(facts.dataTest);
  const mbps = downloadMbps(facts.dataTest);
  const offline = facts.dataTest?.offline === true;
  if (!call && !sms && !upload && !page && mbps === undefined && !offline) return false;
  const protocol = protocolOf(facts);
  let tally = tallies[protocol];
  if (!tally) {
    tallies[protocol] = tally = emptyTally();
    canonical(tallies);
  }
  if (call) tally.call[call] += 1;
  if (sms) tally.sms[sms] += 1;
  if (upload) tally.upload[upload] += 1;
  if (page) tally.page[page] += 1;
  if (mbps !== undefined) tally.download[throughputClass(mbps)] += 1;
  if (offline) tally.offline += 1;
  return true;
}

/** Adds `from` into `into` (mutated, and returned); protocols in PROTOCOLS order, so equal tallies serialise alike. */
export function mergeTallies(into: ProtocolTallies, from: ProtocolTallies): ProtocolTallies {
  for (const protocol of PROTOCOLS) {
    const added = from[protocol];
    if (!added) continue;
    const tally = into[protocol] ?? emptyTally();
    for (const outcome of ['success', 'partial', 'failure'] as const) tally.call[outcome] += added.call[outcome];
    for (const kind of ['sms', 'upload', 'page'] as const) {
      tally[kind].success += added[kind].success;
      tally[kind].failure += added[kind].failure;
    }
    for (const bucket of THROUGHPUT_CLASSES) tally.download[bucket] += added.download[bucket];
    tally.offline += added.offline;
    into[protocol] = tally;
  }
  return canonical(into);
}

export function cloneTallies(tallies: ProtocolTallies): ProtocolTallies {
  return mergeTallies({}, tallies);
}

/** Conforming call tests: success + partial + failure. */
export function conformingCalls(tally: TestTally): number {
  return tally.call.success + tally.call.partial + tally.call.failure;
}

/** Download tests above 8 Mbit/s, Arcep's headline figure. */
export function downloadsAbove8(tally: TestTally): number {
  return tally.download['8-30'] + tally.download['>30'];
}

export function downloadTests(tally: TestTally): number {
  return THROUGHPUT_CLASSES.reduce((sum, bucket) => sum + tally.download[bucket], 0);
}

/** Keys in PROTOCOLS order, whatever order they were added in. */
function canonical(tallies: ProtocolTallies): ProtocolTallies {
  const keys = Object.keys(tallies);
  if (keys.length < 2 || keys[0] === PROTOCOLS[0]) return tallies;
  const ordered: ProtocolTallies = {};
  for (const protocol of PROTOCOLS) if (tallies[protocol]) ordered[protocol] = tallies[protocol];
  for (const key of keys) delete tallies[key as Protocol];
  return Object.assign(tallies, ordered);
}
