import * as v from 'valibot';
import { missingFieldMessage } from './field-labels.ts';
import { OPERATORS } from './operators.ts';
import type { FieldError } from './reading.ts';
import { DeviceUuidSchema, plausibleTimestamp } from './reading-schema.ts';

/**
 * Wire format v1 of a resident's report of a dead spot: what a person without an account
 * can say in a few taps. Weaker evidence than an agent's reading (no technology, no signal),
 * so it is kept apart: it can flag a place to survey, never make a coverage verdict.
 */

export const PROBLEMS = ['no-signal', 'no-calls', 'no-data', 'slow-data'] as const;
export type Problem = (typeof PROBLEMS)[number];
export const PROBLEM_LABELS: Record<Problem, string> = {
  'no-signal': 'Aucun réseau',
  'no-calls': 'Impossible d’appeler',
  'no-data': 'Pas d’internet mobile',
  'slow-data': 'Internet mobile très lent',
};

export const REPORT_SETTINGS = ['outdoor', 'indoor'] as const;
export type ReportSetting = (typeof REPORT_SETTINGS)[number];

/** Where the position came from: the phone's GPS, or a pin the resident placed on the map. */
export const POSITION_SOURCES = ['gps', 'map'] as const;
export type PositionSource = (typeof POSITION_SOURCES)[number];

export const MAX_REPORT_NOTE_LENGTH = 300;
/** Anything shown outside the reviewers' screens is rounded to at least this (RGPD). */
export const PUBLIC_PRECISION_M = 200;

export interface ReportSchemaOptions {
  now?: () => number;
}

export function createReportSchema({ now = Date.now }: ReportSchemaOptions = {}) {
  const ranged = (min: number, max: number, what: string) =>
    v.pipe(
      v.number(`${what} doit être un nombre`),
      v.finite(`${what} doit être un nombre`),
      v.minValue(min, `${what} doit être ≥ ${min}`),
      v.maxValue(max, `${what} doit être ≤ ${max}`),
    );
  return v.object(
    {
      id: DeviceUuidSchema,
      reportedAt: plausibleTimestamp(now),
      lat: ranged(-90, 90, 'La latitude'),
      lon: ranged(-180, 180, 'La longitude'),
      /** Metres; for a pin on the map, the size of what the resident could point at. */
      accuracyM: v.optional(ranged(0, 5000, 'La précision')),
      positionSource: v.picklist(POSITION_SOURCES, `Origine de la position inconnue : attendu ${POSITION_SOURCES.join(', ')}`),
      operator: v.picklist(OPERATORS, `Opérateur inconnu : attendu ${OPERATORS.join(', ')}`),
      problem: v.picklist(PROBLEMS, `Problème inconnu : attendu ${PROBLEMS.join(', ')}`),
      setting: v.picklist(REPORT_SETTINGS, `Situation inconnue : attendu ${REPORT_SETTINGS.join(', ')}`),
      note: v.optional(
        v.pipe(v.string('La note doit être un texte'), v.maxLength(MAX_REPORT_NOTE_LENGTH, `La note dépasse ${MAX_REPORT_NOTE_LENGTH} caractères`)),
      ),
    },
    (issue) => (issue.path ? missingFieldMessage(v.getDotPath(issue) ?? '') : 'Un signalement doit être un objet JSON'),
  );
}

export const ReportSchema = createReportSchema();
export type Report = v.InferOutput<typeof ReportSchema>;

export type ReportValidation = { ok: true; report: Report } | { ok: false; errors: FieldError[] };

export function validateReport(input: unknown, schema: ReturnType<typeof createReportSchema> = ReportSchema): ReportValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: 'Un signalement doit être un objet JSON' }] };
  }
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, report: result.output };
  return { ok: false, errors: result.issues.map((issue) => ({ field: v.getDotPath(issue) ?? '', message: issue.message })) };
}
