import {
  callOutcome,
  downloadMbps,
  pageOutcome,
  smsOutcome,
  throughputClass,
  THROUGHPUT_CLASS_LABELS,
  uploadOutcome,
  type TestOutcome,
} from '../../domain/protocol.ts';
import type { ProbeStep, Reading } from '../../domain/reading.ts';
import { onFirstUse } from '../on-first-use.ts';

/** The measured evidence of a reading in words, as the survey and the readings list show it. */

const decimal = onFirstUse(() => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1, minimumFractionDigits: 1 }));
const whole = onFirstUse(() => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }));

const STEP_LABELS: Record<ProbeStep, string> = {
  reach: 'serveur',
  latency: 'latence',
  download: 'débit descendant',
  upload: 'débit montant',
};

/** 2400 → « 2,4 Mbit/s »; below 100 kbit/s the unit that keeps a digit that means something. */
export function formatKbps(kbps: number): string {
  return kbps < 100 ? `${whole().format(kbps)} kbit/s` : `${decimal().format(kbps / 1000)} Mbit/s`;
}

/**
 * « Mesure du réseau : serveur joint, latence 85 ms, ↓ 2,4 Mbit/s, ↑ 0,8 Mbit/s », or
 * « Serveur injoignable : preuve d’absence de service de données », or « Appareil hors ligne ».
 */
export function describeProbe(probe: NonNullable<Reading['probe']>): string {
  if (probe.result === 'device-offline') return 'Appareil hors ligne';
  if (probe.result === 'unreachable') return `Serveur injoignable : preuve d’absence de service de données${probe.error ? ` (${probe.error})` : ''}`;
  const figures = ['serveur joint'];
  if (probe.latencyMs !== undefined) figures.push(`latence ${whole().format(probe.latencyMs)} ms`);
  if (probe.downloadKbps !== undefined) figures.push(`↓ ${formatKbps(probe.downloadKbps)}`);
  if (probe.uploadKbps !== undefined) figures.push(`↑ ${formatKbps(probe.uploadKbps)}`);
  const failure = probe.failedStep ? ` ; ${STEP_LABELS[probe.failedStep]} non mesuré${probe.error ? ` (${probe.error})` : ''}` : '';
  return `Mesure du réseau : ${figures.join(', ')}${failure}`;
}

/**
 * What the browser said of its connection (Network Information API, Chromium only). Nothing
 * for a reading saved offline (`probe` « device-offline »): the browser's figures are then
 * those of the last network, not of this spot (readings saved before they were dropped at
 * save still hold them).
 */
export function describeConnection(connection: Reading['connection'], probe?: Reading['probe']): string | undefined {
  if (!connection || probe?.result === 'device-offline') return undefined;
  if (connection.available === false) return 'Réseau selon le navigateur : information non disponible';
  const parts = [connection.type, connection.effectiveType].filter((part): part is string => part !== undefined);
  if (connection.downlinkMbps !== undefined) parts.push(`~${formatKbps(connection.downlinkMbps * 1000)}`);
  if (connection.rttMs !== undefined) parts.push(`${whole().format(connection.rttMs)} ms`);
  return parts.length > 0 ? `Réseau selon le navigateur : ${parts.join(', ')}` : undefined;
}

/** Altitude, speed, heading and the age of the fix, for those the reading has. */
export function describePosition(reading: Pick<Reading, 'altitudeM' | 'speedMps' | 'headingDeg' | 'positionAgeMs'>): string | undefined {
  const parts: string[] = [];
  if (reading.altitudeM !== undefined) parts.push(`altitude ${whole().format(reading.altitudeM)} m`);
  if (reading.speedMps !== undefined) parts.push(`vitesse ${decimal().format(reading.speedMps * 3.6)} km/h`);
  if (reading.headingDeg !== undefined) parts.push(`cap ${whole().format(reading.headingDeg)}°`);
  if (reading.positionAgeMs !== undefined) parts.push(`position prise ${formatAge(reading.positionAgeMs)} avant`);
  if (parts.length === 0) return undefined;
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** 4200 → « 4 s », 95000 → « 1 min 35 s ». */
export function formatAge(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const VOICE_WORDS = { ok: 'réussi', failed: 'n’a pas abouti', dropped: 'coupé', 'not-tested': 'non testé' } as const;
const SMS_WORDS = { ok: 'envoyé', failed: 'en échec', 'not-tested': 'non testé' } as const;

const OUTCOME_WORDS: Record<TestOutcome, string> = { success: 'réussi', partial: 'partiel', failure: 'échec' };
const AUDIO_WORDS = { good: 'son compréhensible', poor: 'son dégradé' } as const;

/**
 * « Test d’appel guidé : coupé après 42 s », and under QoS the audio and Arcep's outcome:
 * « Test d’appel guidé (QoS) : réussi après 2 min, son dégradé — partiel ».
 */
export function describeCallTest(reading: Pick<Reading, 'voice' | 'callTest' | 'protocol'>): string | undefined {
  if (!reading.callTest || !reading.voice) return undefined;
  const base = `${VOICE_WORDS[reading.voice]} après ${formatAge(reading.callTest.durationS * 1000)}`;
  if (reading.protocol !== 'qos') return `Test d’appel guidé : ${base}`;
  const audio = reading.callTest.audio ? `, ${AUDIO_WORDS[reading.callTest.audio]}` : '';
  const outcome = callOutcome(reading);
  return `Test d’appel guidé (QoS) : ${base}${audio} — ${outcome ? OUTCOME_WORDS[outcome] : 'non conforme au protocole (moins de 2 min)'}`;
}

/** « Test SMS guidé : envoyé », and under QoS « reçu en 7 s — réussi ». */
export function describeSmsTest(reading: Pick<Reading, 'sms' | 'smsTest' | 'protocol'>): string | undefined {
  if (!reading.smsTest || !reading.sms) return undefined;
  if (reading.protocol !== 'qos') return `Test SMS guidé : ${SMS_WORDS[reading.sms]}`;
  const outcome = smsOutcome(reading);
  if (reading.sms === 'failed') return 'Test SMS guidé (QoS) : en échec — échec';
  if (reading.smsTest.delayS === undefined) return 'Test SMS guidé (QoS) : envoyé, arrivée non confirmée';
  return `Test SMS guidé (QoS) : reçu en ${decimal().format(reading.smsTest.delayS)} s — ${outcome ? OUTCOME_WORDS[outcome] : ''}`;
}

/**
 * « Tests de données : envoi 1 Mo intact en 2,4 s — réussi · ↓ 42,0 Mbit/s (plus de 30 Mbit/s) ·
 * page de 2,0 Mo en 0,9 s — réussi », or « Tests de données : appareil hors ligne ».
 */
export function describeDataTest(test: Reading['dataTest']): string | undefined {
  if (!test) return undefined;
  if (test.offline) return 'Tests de données : appareil hors ligne, rien n’a été tenté';
  const parts: string[] = [];
  const seconds = (ms: number) => `${decimal().format(ms / 1000)} s`;
  if (test.upload) {
    const outcome = uploadOutcome(test);
    parts.push(
      `envoi ${test.upload.intact ? 'intact' : 'non reçu intact'} en ${seconds(test.upload.durationMs)}${outcome ? ` — ${OUTCOME_WORDS[outcome]}` : ''}`,
    );
  }
  const mbps = downloadMbps(test);
  if (test.download && mbps !== undefined) parts.push(`↓ ${decimal().format(mbps)} Mbit/s (${THROUGHPUT_CLASS_LABELS[throughputClass(mbps)]})`);
  if (test.page) {
    const outcome = pageOutcome(test);
    parts.push(`page ${test.page.complete ? 'complète' : 'incomplète'} en ${seconds(test.page.durationMs)}${outcome ? ` — ${OUTCOME_WORDS[outcome]}` : ''}`);
  }
  return `Tests de données : ${parts.join(' · ')}`;
}
