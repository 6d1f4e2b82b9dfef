import { useEffect, useState } from 'preact/hooks';
import { TEST_NUMBER_PATTERN } from '../../domain/campaign.ts';
import { CALL_HOLD_S } from '../../domain/protocol.ts';

/**
 * A guided call or SMS test under way. Kept in localStorage, not in a component's state:
 * the agent leaves the page for the dialler, the phone may reload the page meanwhile, and
 * the timer must carry on from the real start.
 */
export interface RunningTest {
  /** When the agent tapped the link (ms since epoch). */
  startedAt: number;
  /** When the agent said the call was over (« Appel terminé »), if before the hold time. */
  endedAt?: number;
  number: string;
  /** How long the call must be held (ms): the protocol's, fixed at the start. Absent: a test started before protocols, the minute. */
  holdMs?: number;
  /** QoS: the agent said the call held; the audio question is next. */
  held?: boolean;
  /** QoS SMS: when the agent said it left (« Parti »); the arrival question is next. */
  sentAt?: number;
}

export type GuidedTestKind = 'call' | 'sms';

/** Arcep's map check: a one-minute call, outdoors, handset static (DOMAIN.md); QoS holds it 2 minutes (protocol.ts). */
export const CALL_TEST_MS = CALL_HOLD_S['map-check'] * 1000;

/** The hold time of a running call test. */
export const holdMsOf = (test: RunningTest): number => test.holdMs ?? CALL_TEST_MS;

const runningKey = (kind: GuidedTestKind) => `couverture.guided-test.${kind}`;
const NUMBER_KEY = 'couverture.test-number';

export function loadRunningTest(kind: GuidedTestKind): RunningTest | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(runningKey(kind)) ?? 'null') as RunningTest | null;
    return saved && typeof saved.startedAt === 'number' && typeof saved.number === 'string' ? saved : undefined;
  } catch {
    return undefined;
  }
}

export function saveRunningTest(kind: GuidedTestKind, test: RunningTest | undefined): void {
  try {
    if (test) localStorage.setItem(runningKey(kind), JSON.stringify(test));
    else localStorage.removeItem(runningKey(kind));
  } catch {
    // Private browsing may refuse storage: the test then lasts as long as the page.
  }
}

/** The number the agent typed last, when no campaign sets one. */
export function rememberedNumber(): string {
  try {
    return localStorage.getItem(NUMBER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberNumber(number: string): void {
  try {
    localStorage.setItem(NUMBER_KEY, number);
  } catch {
    // See saveRunningTest.
  }
}

export function isDialable(number: string): boolean {
  return TEST_NUMBER_PATTERN.test(number.trim());
}

/** The running test as every render sees it, written through to localStorage. */
export function useRunningTest(kind: GuidedTestKind): [RunningTest | undefined, (test: RunningTest | undefined) => void] {
  const [test, setTest] = useState(() => loadRunningTest(kind));
  const update = (next: RunningTest | undefined) => {
    saveRunningTest(kind, next);
    setTest(next);
  };
  return [test, update];
}

/** The time now, refreshed every second while `ticking`. */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** 42_000 → « 0:42 ». */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * How long the question after a test (« Comment s’est passé l’appel ? », « est-il parti ? »)
 * waits for its answer. Past it the agent has moved on and no longer remembers for sure: the
 * question closes, the result left « non renseigné », rather than be answered by a guess
 * long after, or stay open over the next readings.
 */
export const ANSWER_WINDOW_MS = 5 * 60_000;

/** When a test's question opened: the call's end (« Appel terminé », else the minute), or the SMS's sending. */
export function questionOpenedAt(kind: GuidedTestKind, test: RunningTest): number {
  if (kind === 'sms') return test.sentAt ?? test.startedAt;
  return Math.min(test.endedAt ?? Infinity, test.startedAt + holdMsOf(test));
}

/** Whether the test's question has waited ANSWER_WINDOW_MS or more. */
export function answerExpired(kind: GuidedTestKind, test: RunningTest, now: number): boolean {
  return now - questionOpenedAt(kind, test) >= ANSWER_WINDOW_MS;
}

/**
 * Closes the test's question once it has waited too long (answerExpired), checked every
 * second while a test runs and at once after a reload: `onExpired` hears the test closed.
 */
export function useAnswerExpiry(kind: GuidedTestKind, test: RunningTest | undefined, now: number, onExpired: (test: RunningTest) => void): void {
  useEffect(() => {
    if (test && answerExpired(kind, test, now)) onExpired(test);
  }, [test, now]);
}

/** How long the call lasted for the record: until « Appel terminé », at most the hold time. */
export function callDurationS(test: RunningTest, now: number): number {
  const end = Math.min(test.endedAt ?? now, test.startedAt + holdMsOf(test));
  return Math.max(0, Math.round((end - test.startedAt) / 1000));
}
