import type { Operator } from '../../domain/operators.ts';
import type { CallAudio, DataTest } from '../../domain/protocol.ts';
import type { Setting, SmsResult, VoiceResult } from '../../domain/reading.ts';
import type { Technology } from '../../domain/signal.ts';

/** What the agent picked; most of it stays set from one reading to the next. */
export interface SurveyChoices {
  operator?: Operator;
  technology?: Technology;
  signalMode: 'bars' | 'dbm';
  signalBars?: number;
  /** As typed, so that a half-typed "-1" is not lost on re-render. */
  signalDbm: string;
  setting: Setting;
  voice: VoiceResult;
  sms: SmsResult;
  note: string;
  /** Set by the guided call test (CallTest.tsx) along with `voice`; cleared when `voice` is changed by hand. */
  callTest?: { startedAt: string; durationS: number; audio?: CallAudio };
  /** Set by the guided SMS test (SmsTest.tsx) along with `sms`; under QoS with its arrival. */
  smsTest?: { startedAt: string; receivedAt?: string; delayS?: number };
  /** Set by the QoS data tests (DataTests.tsx). */
  dataTest?: DataTest;
}

export const DEFAULT_CHOICES: SurveyChoices = {
  signalMode: 'bars',
  signalDbm: '',
  setting: 'outdoor',
  voice: 'not-tested',
  sms: 'not-tested',
  note: '',
};

const KEY = 'couverture.survey-choices';

export function loadChoices(): SurveyChoices {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<SurveyChoices>;
    return { ...DEFAULT_CHOICES, ...saved };
  } catch {
    return DEFAULT_CHOICES;
  }
}

export function saveChoices(choices: SurveyChoices): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choices));
  } catch {
    // Private browsing may refuse storage; the choices then last for this visit only.
  }
}

/** After a save: tests and notes belong to the spot just recorded, the rest carries on. */
export function choicesForNextReading(choices: SurveyChoices): SurveyChoices {
  const { callTest: _call, smsTest: _sms, dataTest: _data, ...rest } = choices;
  return { ...rest, voice: 'not-tested', sms: 'not-tested', note: '' };
}
