import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Level } from '../level.ts';
import type { Operator } from '../operators.ts';
import type { SmsResult, VoiceResult } from '../reading.ts';
import { cellRing } from './cell-geometry.ts';
import { DEFAULT_VERDICT_OPTIONS, type CellZone, type OperatorVerdict, type VerdictOptions } from './cell-verdict.ts';
import { cellVerdictFields, compactOperatorStats } from './compact-judged-cell.ts';
import { dbmReadings, smsSuccessRate, type GroupStats } from './group-stats.ts';
import type { JudgedCell } from './judge-grid.ts';
import { type OperatorFigures } from './operator-figures.ts';
import type { MultiPolygonGeometry, PolygonGeometry } from './outline.ts';
import type { SuggestedZone } from './zone-suggestion.ts';

/** RFC 7946 features with polygon geometry, as the grid emits them: always with their id. */
export interface PolygonFeature<P, G extends Geometry = PolygonGeometry> extends Feature<G, P> {
  id: string;
  /** RFC 7946 §5: [west, south, east, north]. */
  bbox?: [number, number, number, number];
}

export interface PolygonFeatureCollection<P, G extends Geometry = PolygonGeometry> extends FeatureCollection<G, P> {
  features: PolygonFeature<P, G>[];
}

/** An operator's figures on a cell. Contributors are counted, never named. */
export interface OperatorCellProperties {
  verdict: OperatorVerdict;
  readings: number;
  contributors: number;
  levels: Record<Level, number>;
  levelShares: Record<Level, number>;
  medianLevel: Level | null;
  medianDbm: number | null;
  dbmReadings: number;
  calls: Record<VoiceResult, number>;
  callTests: number;
  callSuccessRate: number | null;
  sms: Record<SmsResult, number>;
  smsSuccessRate: number | null;
  /** ISO 8601, UTC. */
  firstAt: string | null;
  lastAt: string | null;
  /** Proportions with their intervals, conforming tests per protocol (operator-figures.ts). */
  figures: OperatorFigures;
}

export interface CellProperties {
  cell: string;
  resolutionM: number;
  zone: CellZone;
  toSurvey: boolean;
  covering: Operator[];
  missing: Operator[];
  residentReports: number;
  /** All operators together. */
  readings: number;
  contributors: number;
  operators: Partial<Record<Operator, OperatorCellProperties>>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function operatorProperties(
  stats: GroupStats,
  verdict: OperatorVerdict,
  options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS,
): OperatorCellProperties {
  // The compact answer's figures, and what only the GeoJSON answer sends.
  return {
    ...compactOperatorStats(stats, verdict, options),
    levels: { ...stats.levels },
    dbmReadings: dbmReadings(stats),
    sms: { ...stats.sms },
    smsSuccessRate: smsSuccessRate(stats),
    firstAt: iso(stats.firstMs),
    lastAt: iso(stats.lastMs),
  };
}

/** `options`: the verdict's, for the intervals' confidence and thresholds. */
export function cellFeature(judged: JudgedCell, options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS): PolygonFeature<CellProperties> {
  const operators: Partial<Record<Operator, OperatorCellProperties>> = {};
  const contributors = new Set<string>();
  let readings = 0;
  for (const [operator, stats] of Object.entries(judged.operators) as [Operator, GroupStats][]) {
    operators[operator] = operatorProperties(stats, judged.verdict.operators[operator], options);
    readings += stats.readings;
    for (const contributor of stats.contributors) contributors.add(contributor);
  }
  return {
    type: 'Feature',
    id: judged.cell,
    geometry: { type: 'Polygon', coordinates: [cellRing(judged.ref)] },
    properties: {
      cell: judged.cell,
      resolutionM: judged.ref.resolutionM,
      ...cellVerdictFields(judged),
      readings,
      contributors: contributors.size,
      operators,
    },
  };
}

export function cellsFeatureCollection(
  cells: Iterable<JudgedCell>,
  options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS,
): PolygonFeatureCollection<CellProperties> {
  const features: PolygonFeature<CellProperties>[] = [];
  for (const cell of cells) features.push(cellFeature(cell, options));
  return { type: 'FeatureCollection', features };
}

export type ZoneProperties = Omit<SuggestedZone, 'outline' | 'bbox'> & { rank: number };

/** Suggested zones as features (outline as geometry), rank 1 = most evidence. */
export function zonesFeatureCollection(zones: readonly SuggestedZone[]): PolygonFeatureCollection<ZoneProperties, PolygonGeometry | MultiPolygonGeometry> {
  return {
    type: 'FeatureCollection',
    features: zones.map(({ outline, bbox, ...properties }, i) => ({
      type: 'Feature',
      id: properties.id,
      bbox: [bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat],
      geometry: outline,
      properties: { ...properties, rank: i + 1 },
    })),
  };
}
