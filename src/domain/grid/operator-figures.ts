import { PROTOCOLS, type Protocol, type ThroughputClass } from '../protocol.ts';
import { coveringReadings, DEFAULT_VERDICT_OPTIONS, type VerdictOptions } from './cell-verdict.ts';
import type { GroupStats } from './group-stats.ts';
import { conformingCalls, downloadsAbove8, downloadTests, type TestTally } from './test-tally.ts';
import { proportion, sideOf, type Proportion, type Side } from './wilson.ts';

/**
 * The statistics behind an operator's verdict on a cell (or a zone), each proportion with its
 * Wilson interval at the verdict's confidence (docs/coverage-rules.md, « Statistics »).
 */
export interface OperatorFigures {
  /** Readings at BC or better: the proportion the verdict is decided on, against `coverageThreshold`. */
  coverage: Proportion | null;
  coverageSide: Side | null;
  /** Readings at PC (« pas de couverture »). */
  noCoverage: Proportion | null;
  /** Conforming tests per protocol, in PROTOCOLS order; only protocols with a test. */
  protocols: ProtocolFigures[];
}

export interface ProtocolFigures {
  protocol: Protocol;
  /** Conforming call tests: held (and, under QoS, understandable) out of all conforming calls. */
  calls: Proportion | null;
  /** Against `callThreshold`. */
  callSide: Side | null;
  /** QoS: held with poor audio (counted in `calls.trials`, not in its successes). */
  partialCalls: number;
  sms: Proportion | null;
  upload: Proportion | null;
  page: Proportion | null;
  /** Download tests above 8 Mbit/s (Arcep's headline figure), and every class's count. */
  downloadAbove8: Proportion | null;
  download: Record<ThroughputClass, number>;
  /** Data tests the phone could not run: no network (« appareil hors ligne »). */
  offline: number;
}

export function operatorFigures(stats: GroupStats, options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS): OperatorFigures {
  const { confidence } = options;
  const coverage = proportion(coveringReadings(stats), stats.readings, confidence) ?? null;
  const protocols: ProtocolFigures[] = [];
  for (const protocol of PROTOCOLS) {
    const tally = stats.tests?.[protocol];
    if (tally) protocols.push(protocolFigures(protocol, tally, options));
  }
  return {
    coverage,
    coverageSide: coverage && sideOf(coverage, options.coverageThreshold),
    noCoverage: proportion(stats.levels.PC, stats.readings, confidence) ?? null,
    protocols,
  };
}

export function protocolFigures(protocol: Protocol, tally: TestTally, options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS): ProtocolFigures {
  const { confidence } = options;
  const of = (successes: number, trials: number) => proportion(successes, trials, confidence) ?? null;
  const calls = of(tally.call.success, conformingCalls(tally));
  return {
    protocol,
    calls,
    callSide: calls && sideOf(calls, options.callThreshold),
    partialCalls: tally.call.partial,
    sms: of(tally.sms.success, tally.sms.success + tally.sms.failure),
    upload: of(tally.upload.success, tally.upload.success + tally.upload.failure),
    page: of(tally.page.success, tally.page.success + tally.page.failure),
    downloadAbove8: of(downloadsAbove8(tally), downloadTests(tally)),
    download: { ...tally.download },
    offline: tally.offline,
  };
}
