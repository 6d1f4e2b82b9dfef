import type { Role } from '../../domain/account.ts';
import type { AccuracyRule, Campaign } from '../../domain/campaign.ts';
import { MAX_MERCATOR_LAT } from '../../domain/geo.ts';
import { formatCellId } from '../../domain/grid/cell-id.ts';
import { fromStoredStats, type StoredStats } from '../../domain/grid/stored-stats.ts';
import { LEVELS } from '../../domain/level.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Protocol } from '../../domain/protocol.ts';
import type { Reading, Setting } from '../../domain/reading.ts';
import { emptyLevelCounts } from '../../domain/reading-clusters.ts';
import type { Report } from '../../domain/report.ts';
import type { Technology } from '../../domain/signal.ts';
import type { Zone, ZoneHistoryEntry, ZoneNeed, ZoneStatus } from '../../domain/zone.ts';
import { withDeadline, type ZoneFollowUpFields } from '../../domain/zone-follow-up.ts';
import type { PlaceMethod } from '../communes/communes.ts';
import type { ApiTokenRecord, SessionRecord, StoredAuditEntry, UserRecord } from './account-store.ts';
import type { CampaignReadingGroup } from './campaign-store.ts';
import { BASE_RESOLUTION_M } from './grid-batch.ts';
import type { GridGroupRow, GridReportRow } from './grid-store.ts';
import { pageOf } from './page-cursor.ts';
import type { ReadingClusterFeature, ReadingPage } from './reading-store.ts';
import type { StoredReport } from './report-store.ts';

/**
 * The rows both schemas share (the same tables, the same column names) and how they become
 * the domain's records. The types are PostgreSQL's: booleans, and JSON columns already
 * parsed. SQLite gives 0/1 and JSON text; sqlite/sqlite-rows.ts turns its rows into these.
 */

export interface ReadingRow {
  seq: number;
  /** The reading as received: text in both schemas. */
  body: string;
  commune: string | null;
  outside_communes: boolean;
  placement: PlaceMethod | null;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  communes: string[];
  departement: string | null;
  disabled: boolean;
  must_change_password: boolean;
  created_at: string;
  updated_at: string;
}

export interface SessionRow {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at_ms: number;
  expires_at_ms: number;
  last_seen_at_ms: number;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: StoredAuditEntry['targetType'];
  target_id: string | null;
  details: Record<string, unknown>;
}

export interface ReportRow {
  seq: number;
  /** The report as received: text in both schemas. */
  body: string;
  commune: string | null;
  departement: string | null;
  placement: PlaceMethod | null;
  received_at: string;
  hidden: boolean;
  hidden_reason: string | null;
  repeats: number;
}

export interface ZoneRow {
  id: string;
  departement: string;
  name: string;
  need: ZoneNeed;
  need_detail: string | null;
  notes: string | null;
  cells: string[];
  communes: string[];
  status: ZoneStatus;
  created_at: string;
  updated_at: string;
  follow_up: ZoneFollowUpFields;
}

export interface HistoryRow {
  zone_id: string;
  at: string;
  by_id: string;
  by_name: string;
  from_status: ZoneStatus | null;
  to_status: ZoneStatus;
  reason: string;
}

export interface CampaignRow {
  id: string;
  name: string;
  commune: string;
  commune_name: string;
  departement: string;
  starts_on: string;
  ends_on: string;
  operators: Operator[];
  test_number: string | null;
  protocol: Protocol;
  max_accuracy_m: number;
  accuracy_rule: AccuracyRule;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** The readings of a campaign in one 200 m cell (or none) × operator × technology. */
export interface CampaignGroupRow {
  cell_n: number | null;
  cell_e: number | null;
  operator: Operator;
  technology: Technology;
  readings: number;
}

/** A grid_groups row, or a grid_totals one with `month` ALL_PERIODS. */
export interface GroupRow {
  north: number;
  east: number;
  operator: Operator;
  technology: Technology;
  setting: Setting;
  month: string;
  departement: string;
  /** As stored, either form (stored-stats.ts); toGridGroup reads it. */
  stats: StoredStats;
}

/** A grid_reports row, or a grid_report_totals one with `month` ALL_PERIODS. */
export interface ReportCountRow {
  north: number;
  east: number;
  operator: Operator;
  month: string;
  departement: string;
  count: number;
}

/** Web Mercator's limit of latitude, where clusterSquare() clamps. */
export const CLUSTER_MAX_LAT = MAX_MERCATOR_LAT;
/** The box of a clusters query that names none. */
export const CLUSTER_WORLD = { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 };

/** One square of readings (clusterSquare()'s x and y), with its sums to average. */
export type ClusterRow = { x: number; y: number; count: number; lat_sum: number; lon_sum: number } & Record<(typeof LEVELS)[number], number>;

/** A page of readings from `limit` + 1 rows: the one past the limit only tells that more follow. */
export function toReadingPage(rows: ReadingRow[], limit: number): ReadingPage {
  const page = pageOf(rows, limit);
  return {
    readings: page.rows.map((row) => JSON.parse(row.body) as Reading),
    places: page.rows.map((row) => ({ commune: row.commune, outsideCommunes: row.outside_communes, placement: row.placement })),
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
}

export const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  role: row.role,
  communes: row.communes,
  departement: row.departement,
  disabled: row.disabled,
  mustChangePassword: row.must_change_password,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toSession = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  csrfToken: row.csrf_token,
  createdAtMs: row.created_at_ms,
  expiresAtMs: row.expires_at_ms,
  lastSeenAtMs: row.last_seen_at_ms,
});

export const toToken = (row: TokenRow): ApiTokenRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
});

export const toAuditEntry = (row: AuditRow): StoredAuditEntry => ({
  seq: row.seq,
  at: row.at,
  actorId: row.actor_id,
  actorLabel: row.actor_label,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  details: row.details,
});

export const toReport = (row: ReportRow): StoredReport => ({
  report: JSON.parse(row.body) as Report,
  commune: row.commune,
  departement: row.departement,
  placement: row.placement,
  receivedAt: row.received_at,
  hidden: row.hidden,
  hiddenReason: row.hidden_reason,
  repeats: row.repeats,
});

export const toHistoryEntry = (row: HistoryRow): ZoneHistoryEntry => ({
  at: row.at,
  by: { id: row.by_id, name: row.by_name },
  from: row.from_status,
  to: row.to_status,
  reason: row.reason,
});

export const toZone = (row: ZoneRow, history: ZoneHistoryEntry[]): Zone => ({
  id: row.id,
  departement: row.departement,
  name: row.name,
  cells: row.cells,
  need: row.need,
  ...(row.need_detail !== null && { needDetail: row.need_detail }),
  ...(row.notes !== null && { notes: row.notes }),
  communes: row.communes,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  history,
  followUp: withDeadline(row.follow_up),
});

export const toCampaign = (row: CampaignRow, agentIds: string[]): Campaign => ({
  id: row.id,
  name: row.name,
  communeInsee: row.commune,
  communeName: row.commune_name,
  departement: row.departement,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  operators: row.operators,
  ...(row.test_number !== null && { testNumber: row.test_number }),
  protocol: row.protocol,
  maxAccuracyM: row.max_accuracy_m,
  accuracyRule: row.accuracy_rule,
  agentIds,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toCampaignGroup = (row: CampaignGroupRow): CampaignReadingGroup => ({
  cell: row.cell_n === null || row.cell_e === null ? null : { resolutionM: BASE_RESOLUTION_M, north: row.cell_n, east: row.cell_e },
  operator: row.operator,
  technology: row.technology,
  readings: row.readings,
});

const cellId = (resolutionM: number, row: { north: number; east: number }) => formatCellId({ resolutionM, north: row.north, east: row.east });

export const toGridGroup = (resolutionM: number, row: GroupRow): GridGroupRow => ({
  cell: cellId(resolutionM, row),
  operator: row.operator,
  technology: row.technology,
  setting: row.setting,
  month: row.month,
  departement: row.departement === '' ? null : row.departement,
  stats: fromStoredStats(row.stats),
});

export const toGridReport = (resolutionM: number, row: ReportCountRow): GridReportRow => ({
  cell: cellId(resolutionM, row),
  operator: row.operator,
  month: row.month,
  departement: row.departement === '' ? null : row.departement,
  count: row.count,
});

export const toClusterFeature = (zoom: number, row: ClusterRow): ReadingClusterFeature => {
  const byLevel = emptyLevelCounts();
  for (const level of LEVELS) byLevel[level] = row[level];
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [round6(row.lon_sum / row.count), round6(row.lat_sum / row.count)] },
    properties: { key: `${zoom}/${row.x}/${row.y}`, count: row.count, byLevel },
  };
};

/** As ClusterAccumulator rounds its means: about 10 cm. */
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** What updateUser may set, and the column of each. */
export const USER_COLUMNS: Record<string, string> = {
  name: 'name',
  passwordHash: 'password_hash',
  mustChangePassword: 'must_change_password',
  role: 'role',
  communes: 'communes',
  departement: 'departement',
  disabled: 'disabled',
  updatedAt: 'updated_at',
};

/** What updateZone may set, and the column of each. */
export const ZONE_COLUMNS: Record<string, string> = {
  name: 'name',
  need: 'need',
  needDetail: 'need_detail',
  notes: 'notes',
  cells: 'cells',
  communes: 'communes',
  followUp: 'follow_up',
  updatedAt: 'updated_at',
};

/** What updateCampaign may set (agents apart), and the column of each. */
export const CAMPAIGN_COLUMNS: Record<string, string> = {
  name: 'name',
  startsOn: 'starts_on',
  endsOn: 'ends_on',
  operators: 'operators',
  testNumber: 'test_number',
  protocol: 'protocol',
  maxAccuracyM: 'max_accuracy_m',
  accuracyRule: 'accuracy_rule',
  updatedAt: 'updated_at',
};

/**
 * The columns an update sets: each defined value of `changes` that `columns` names, arrays and
 * objects as JSON text (SQLite's text columns, PostgreSQL's jsonb ones: node-postgres would send an array
 * as a PostgreSQL array literal).
 */
export function columnChanges(columns: Record<string, string>, changes: object): { column: string; value: unknown }[] {
  const sets: { column: string; value: unknown }[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || !Object.hasOwn(columns, key)) continue;
    sets.push({ column: columns[key]!, value: typeof value === 'object' && value !== null ? JSON.stringify(value) : value });
  }
  return sets;
}
