import { LEVEL_LABELS, type Level } from '../../domain/level.ts';
import { OPERATOR_LABELS } from '../../domain/operators.ts';
import { SMS_LABELS, SOURCE_LABELS, VOICE_LABELS, type Reading } from '../../domain/reading.ts';
import { TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import { formatTime, plural } from '../format.ts';
import type { DrawnReading } from './stacked-readings.ts';

const PROBE_LABELS: Record<NonNullable<Reading['probe']>['result'], string> = {
  reachable: 'Serveur joignable',
  unreachable: 'Serveur injoignable',
  'device-offline': 'Téléphone hors ligne',
};

const mbps = (kbps: number) => `${(kbps / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mbit/s`;

/** The lines a reading's popup shows, in order (pure: tested without a DOM). */
export function popupLines(p: Reading & { level: Level }, onDevice: boolean): string[] {
  const lines = [
    LEVEL_LABELS[p.level],
    `${formatTime(p.recordedAt)} · ± ${Math.round(p.accuracyM)} m`,
    `${OPERATOR_LABELS[p.operator]} · ${TECHNOLOGY_LABELS[p.technology]}`,
    p.signalDbm !== undefined ? `Signal : ${p.signalDbm} dBm` : p.signalBars !== undefined ? `Signal : ${plural(p.signalBars, 'barre')}` : '',
    p.voice && p.voice !== 'not-tested' ? `Test d’appel : ${VOICE_LABELS[p.voice]}` : '',
    p.sms && p.sms !== 'not-tested' ? `Test SMS : ${SMS_LABELS[p.sms]}` : '',
  ];
  if (p.probe) {
    const figures = [
      p.probe.latencyMs !== undefined ? `${Math.round(p.probe.latencyMs)} ms` : '',
      p.probe.downloadKbps !== undefined ? `↓ ${mbps(p.probe.downloadKbps)}` : '',
      p.probe.uploadKbps !== undefined ? `↑ ${mbps(p.probe.uploadKbps)}` : '',
    ].filter(Boolean);
    lines.push(`Sonde : ${PROBE_LABELS[p.probe.result]}${figures.length > 0 ? ` · ${figures.join(' · ')}` : ''}`);
  }
  lines.push(`${SOURCE_LABELS[p.source]}${onDevice ? ' · sur cet appareil' : ''}`);
  if (p.note) lines.push(`« ${p.note} »`);
  return lines.filter(Boolean);
}

/** Built from text nodes: a reading's note comes from a person and is never HTML. */
export function readingPopup(p: Reading & { level: Level }, onDevice: boolean): HTMLElement {
  const element = document.createElement('div');
  element.className = 'reading-popup';
  for (const line of popupLines(p, onDevice)) {
    const row = document.createElement('div');
    row.textContent = line;
    element.append(row);
  }
  return element;
}

/** Several readings drawn at one spot: « 3 relevés à cet endroit », then each one's lines. */
export function stackedReadingsPopup(readings: readonly DrawnReading[]): HTMLElement {
  const [only] = readings;
  if (readings.length === 1 && only) return readingPopup(only.properties, only.onDevice);
  const element = document.createElement('div');
  element.className = 'reading-stack';
  const title = document.createElement('p');
  title.className = 'reading-stack-title';
  title.textContent = `${plural(readings.length, 'relevé')} à cet endroit`;
  element.append(title, ...readings.map(({ properties, onDevice }) => readingPopup(properties, onDevice)));
  return element;
}
