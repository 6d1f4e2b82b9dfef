import type { Reading } from '../../domain/reading.ts';
import { isoWithOffset } from '../../domain/time.ts';
import type { SurveyChoices } from './survey-choices.ts';
import type { Fix } from './use-geolocation.ts';

/**
 * What `navigator.connection` says, where the browser has it (Chromium only); elsewhere
 * `{ available: false }`, so that the reading says the browser could not tell, rather than
 * nothing at all.
 */
export function connectionSnapshot(): NonNullable<Reading['connection']> {
  const connection = (navigator as Navigator & { connection?: Record<string, unknown> }).connection;
  if (!connection) return { available: false };
  const snapshot: NonNullable<Reading['connection']> = { available: true };
  if (typeof connection.type === 'string') snapshot.type = connection.type;
  if (typeof connection.effectiveType === 'string') snapshot.effectiveType = connection.effectiveType;
  if (typeof connection.downlink === 'number' && Number.isFinite(connection.downlink)) snapshot.downlinkMbps = connection.downlink;
  if (typeof connection.rtt === 'number' && Number.isFinite(connection.rtt)) snapshot.rttMs = connection.rtt;
  return snapshot;
}

/** The agent's entries as wire fields; unset choices stay unset so validation names them. */
export function signalFields(choices: SurveyChoices): Partial<Reading> {
  const fields: Record<string, unknown> = {
    operator: choices.operator,
    technology: choices.technology,
    setting: choices.setting,
    voice: choices.voice,
    sms: choices.sms,
  };
  if (choices.technology !== 'none') {
    if (choices.signalMode === 'bars') fields.signalBars = choices.signalBars;
    else if (choices.signalDbm.trim() !== '') fields.signalDbm = Number(choices.signalDbm.trim().replace('−', '-'));
  }
  const note = choices.note.trim();
  if (note) fields.note = note;
  return fields as Partial<Reading>;
}

/** What a reading takes from its context: the campaign picked (campaignFields), a track. */
export type ReadingContext = Partial<Pick<Reading, 'campaignId' | 'communeInsee' | 'trackId' | 'protocol'>>;

/** A candidate reading, to be validated by the shared schema before it is stored. */
export function buildReading(id: string, choices: SurveyChoices, fix: Fix, now: Date, context: ReadingContext = {}): Record<string, unknown> {
  const candidate: Record<string, unknown> = {
    id,
    recordedAt: isoWithOffset(now),
    lat: fix.lat,
    lon: fix.lon,
    accuracyM: Math.round(fix.accuracyM * 10) / 10,
    altitudeM: fix.altitudeM,
    speedMps: fix.speedMps,
    headingDeg: fix.headingDeg,
    positionAgeMs: Math.max(0, now.getTime() - fix.takenAt),
    positionSource: fix.manual ? 'manual' : undefined,
    positionFixes: fix.fixes,
    source: 'agent',
    connection: connectionSnapshot(),
    ...signalFields(choices),
    ...guidedTests(choices),
    ...context,
  };
  for (const key of Object.keys(candidate)) if (candidate[key] === undefined) delete candidate[key];
  return candidate;
}

/** A guided test's record goes with the answer it gave, never without it. */
function guidedTests(choices: SurveyChoices): Partial<Reading> {
  return {
    ...(choices.callTest && choices.voice !== 'not-tested' && { callTest: choices.callTest }),
    ...(choices.smsTest && choices.sms !== 'not-tested' && { smsTest: choices.smsTest }),
    ...(choices.dataTest && { dataTest: choices.dataTest }),
  };
}
