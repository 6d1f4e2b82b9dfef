import type { Operator } from '../../domain/operators.ts';
import type { PositionSource, Problem, ReportSetting } from '../../domain/report.ts';
import { isoWithOffset } from '../../domain/time.ts';

export interface ReportChoices {
  operator?: Operator;
  problem?: Problem;
  setting: ReportSetting;
  note: string;
}

export interface ReportPosition {
  lat: number;
  lon: number;
  accuracyM: number;
  source: PositionSource;
}

/** A candidate report, to be validated by the shared schema before it is stored. */
export function buildReport(id: string, choices: ReportChoices, position: ReportPosition | undefined, now: Date): Record<string, unknown> {
  const candidate: Record<string, unknown> = {
    id,
    reportedAt: isoWithOffset(now),
    lat: position?.lat,
    lon: position?.lon,
    accuracyM: position === undefined ? undefined : Math.min(5000, Math.round(position.accuracyM * 10) / 10),
    positionSource: position?.source,
    operator: choices.operator,
    problem: choices.problem,
    setting: choices.setting,
  };
  const note = choices.note.trim();
  if (note) candidate.note = note;
  for (const key of Object.keys(candidate)) if (candidate[key] === undefined) delete candidate[key];
  return candidate;
}
