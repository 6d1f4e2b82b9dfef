import { restoreCsvCell } from '../csv-formula.ts';
import { readingFeature, type FeatureCollection, type PointFeature, type ReadingProperties } from '../geojson.ts';
import { readingLevel } from '../level.ts';
import type { Reading } from '../reading.ts';
import { finishReading, type RowOutcome } from './import-row.ts';
import type { CsvRow } from './tower-collector.ts';

/**
 * Couverture's own device files: the readings of a phone exported as CSV or GeoJSON, and read
 * back on the same or another phone with their ids, so that nothing is stored twice. Each
 * carries the reading's fields plus its `state` on the device and its `level`; both are
 * facts of the moment, left out when the file is read back (the reading is the evidence).
 */

type ColumnKind = 'text' | 'number' | 'boolean' | 'json';

/** One column per field, nested objects flattened to dotted names; `extra` as JSON (its keys vary). */
export const DEVICE_CSV_COLUMNS: readonly { name: string; kind: ColumnKind }[] = [
  { name: 'id', kind: 'text' },
  { name: 'state', kind: 'text' },
  { name: 'level', kind: 'text' },
  { name: 'recordedAt', kind: 'text' },
  { name: 'lat', kind: 'number' },
  { name: 'lon', kind: 'number' },
  { name: 'accuracyM', kind: 'number' },
  { name: 'altitudeM', kind: 'number' },
  { name: 'speedMps', kind: 'number' },
  { name: 'headingDeg', kind: 'number' },
  { name: 'positionAgeMs', kind: 'number' },
  { name: 'operator', kind: 'text' },
  { name: 'technology', kind: 'text' },
  { name: 'signalDbm', kind: 'number' },
  { name: 'signalBars', kind: 'number' },
  { name: 'setting', kind: 'text' },
  { name: 'voice', kind: 'text' },
  { name: 'sms', kind: 'text' },
  { name: 'source', kind: 'text' },
  { name: 'note', kind: 'text' },
  { name: 'connection.available', kind: 'boolean' },
  { name: 'connection.type', kind: 'text' },
  { name: 'connection.effectiveType', kind: 'text' },
  { name: 'connection.downlinkMbps', kind: 'number' },
  { name: 'connection.rttMs', kind: 'number' },
  { name: 'probe.startedAt', kind: 'text' },
  { name: 'probe.durationMs', kind: 'number' },
  { name: 'probe.result', kind: 'text' },
  { name: 'probe.latencyMs', kind: 'number' },
  { name: 'probe.latencySamples', kind: 'number' },
  { name: 'probe.downloadKbps', kind: 'number' },
  { name: 'probe.uploadKbps', kind: 'number' },
  { name: 'probe.failedStep', kind: 'text' },
  { name: 'probe.error', kind: 'text' },
  { name: 'callTest.startedAt', kind: 'text' },
  { name: 'callTest.durationS', kind: 'number' },
  { name: 'callTest.audio', kind: 'text' },
  { name: 'smsTest.startedAt', kind: 'text' },
  { name: 'smsTest.receivedAt', kind: 'text' },
  { name: 'smsTest.delayS', kind: 'number' },
  { name: 'protocol', kind: 'text' },
  { name: 'dataTest.startedAt', kind: 'text' },
  { name: 'dataTest.offline', kind: 'boolean' },
  { name: 'dataTest.upload.bytes', kind: 'number' },
  { name: 'dataTest.upload.durationMs', kind: 'number' },
  { name: 'dataTest.upload.intact', kind: 'boolean' },
  { name: 'dataTest.download.bytes', kind: 'number' },
  { name: 'dataTest.download.durationMs', kind: 'number' },
  { name: 'dataTest.page.bytes', kind: 'number' },
  { name: 'dataTest.page.durationMs', kind: 'number' },
  { name: 'dataTest.page.complete', kind: 'boolean' },
  { name: 'trackId', kind: 'text' },
  { name: 'campaignId', kind: 'text' },
  { name: 'communeInsee', kind: 'text' },
  { name: 'extra', kind: 'json' },
];

export const DEVICE_CSV_HEADER = DEVICE_CSV_COLUMNS.map((column) => column.name);
/** What tells our own CSV from a measurement app's. */
export const DEVICE_CSV_REQUIRED = ['id', 'recordedAt', 'lat', 'lon', 'accuracyM', 'operator', 'technology', 'setting', 'source'] as const;
/** Facts of the device at export time, not of the reading. */
const EXPORT_ONLY = new Set(['state', 'level']);

export type CsvCell = string | number | boolean;

/** A reading as one CSV row (values in DEVICE_CSV_HEADER order; '' where the reading has nothing). */
export function deviceCsvRow(reading: Reading, state: string): CsvCell[] {
  const source: Record<string, unknown> = { ...reading, state, level: readingLevel(reading) };
  return DEVICE_CSV_COLUMNS.map(({ name, kind }) => {
    const value = name
      .split('.')
      .reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), source);
    if (value === undefined || value === null) return '';
    if (kind === 'json') return JSON.stringify(value);
    return value as CsvCell;
  });
}

/**
 * A row of our CSV back to a reading, typed by column; the wire format's schema has the last
 * word. The apostrophe the CSV writer put before formula-like text (a note starting with =)
 * is taken away, so that a reading comes back as it was exported.
 */
export function mapDeviceCsvRow(row: CsvRow): RowOutcome {
  const candidate: Record<string, unknown> = {};
  for (const { name, kind } of DEVICE_CSV_COLUMNS) {
    const cell = row[name];
    if (EXPORT_ONLY.has(name) || cell === undefined || cell === '') continue;
    const text = restoreCsvCell(cell);
    const path = name.split('.');
    let target = candidate;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path.at(-1)!] = typedCell(kind, text);
  }
  return finishReading(candidate);
}

/** Unreadable text is kept as text, so that the schema names the field that is wrong. */
function typedCell(kind: ColumnKind, text: string): unknown {
  switch (kind) {
    case 'text':
      return text;
    case 'number':
      return Number.isFinite(Number(text)) && text.trim() !== '' ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
  }
}

export type DeviceFeatureProperties = ReadingProperties & { state: string };

export function deviceFeature(reading: Reading, state: string): PointFeature<DeviceFeatureProperties> {
  const feature = readingFeature(reading);
  return { ...feature, properties: { ...feature.properties, state } };
}

export function isFeatureCollection(value: unknown): value is FeatureCollection<unknown> {
  return isObject(value) && value.type === 'FeatureCollection' && Array.isArray(value.features);
}

/** A feature of our GeoJSON back to a reading: its properties, the position from the geometry if they lack it. */
export function mapDeviceFeature(feature: unknown): RowOutcome {
  if (!isObject(feature) || feature.type !== 'Feature' || !isObject(feature.properties)) {
    return { ok: false, refusal: { code: 'malformed', reason: 'Élément GeoJSON sans propriétés : pas un relevé exporté par Couverture' } };
  }
  const candidate: Record<string, unknown> = Object.fromEntries(Object.entries(feature.properties).filter(([key]) => !EXPORT_ONLY.has(key)));
  const coordinates = isObject(feature.geometry) && Array.isArray(feature.geometry.coordinates) ? feature.geometry.coordinates : [];
  candidate.lon ??= coordinates[0];
  candidate.lat ??= coordinates[1];
  return finishReading(candidate);
}

/** An item of the API's batch format ({ readings: [...] }), as « Exporter » wrote it before. */
export function mapBatchItem(item: unknown): RowOutcome {
  return finishReading(isObject(item) ? item : { value: item });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
