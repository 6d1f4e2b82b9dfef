import { useRef } from 'preact/hooks';
import { averagePosition } from '../../domain/position-average.ts';
import type { SurveyChoices } from './survey-choices.ts';
import type { Fix } from './use-geolocation.ts';

/** A fix as the survey received it: `at` is on the page's clock, the one the guided tests' starts are on. */
interface ReceivedFix {
  fix: Fix;
  at: number;
}

/** Longer than a QoS visit (2-minute call, SMS, data tests) and a moment to fill the form. */
const KEEP_MS = 15 * 60_000;

/** The phone's fixes received while the survey is shown, oldest first (a reload starts afresh). */
export function useFixHistory(live: Fix | undefined): readonly ReceivedFix[] {
  const history = useRef<ReceivedFix[]>([]).current;
  if (live && history[history.length - 1]?.fix !== live) {
    const at = Date.now();
    history.push({ fix: live, at });
    while ((history[0]?.at ?? at) < at - KEEP_MS) history.shift();
  }
  return history;
}

/** Since when the agent has stood still for this reading: the start of its first guided test. */
function stillSince({ callTest, smsTest, dataTest }: SurveyChoices): number | undefined {
  const starts = [callTest, smsTest, dataTest].flatMap((test) => (test ? [Date.parse(test.startedAt)] : []));
  return starts.length > 0 ? Math.min(...starts) : undefined;
}

/**
 * The reading's position after static tests (docs/coverage-rules.md, GPS): the average of the
 * fixes received from the first test's start until now, when two or more are kept; else
 * undefined, and the live fix serves as before. `fixes` says how many were kept.
 */
export function staticFix(history: readonly ReceivedFix[], choices: SurveyChoices, maxAccuracyM: number): Fix | undefined {
  const since = stillSince(choices);
  if (since === undefined) return undefined;
  const during = history.filter((received) => received.at >= since).map((received) => received.fix);
  const average = averagePosition(during, maxAccuracyM);
  if (!average || average.fixes < 2) return undefined;
  // Altitude and time from the most precise fix: none of them is averaged.
  const best = during.reduce((a, b) => (b.accuracyM < a.accuracyM ? b : a));
  return { ...best, ...average };
}
