import type { CampaignProgress } from '../../domain/campaign.ts';
import { OPERATORS, type Operator } from '../../domain/operators.ts';
import type { Reading } from '../../domain/reading.ts';
import { TECHNOLOGIES, type Technology } from '../../domain/signal.ts';
import type { OutboxRecord } from '../../store/outbox.ts';

/**
 * A campaign's progress as the agent needs it in the field: the server's figures (perhaps
 * fetched hours ago) plus what this device holds that those figures cannot include yet.
 */

export interface Counts {
  readings: number;
  byOperator: Record<Operator, number>;
  byTechnology: Record<Technology, number>;
}

/** The server's figures and when the device asked for them (ms since epoch). */
export interface ServerProgress {
  progress: CampaignProgress;
  fetchedAt: number;
}

/** This device's readings of the campaign that the server's figures do not hold. */
export interface BeyondSnapshot {
  /** Waiting on the device (« pas encore envoyés »). */
  unsent: Reading[];
  /**
   * Sent after the server's figures were asked for: on the server, not in those figures yet.
   * Matters offline, when the figures come from the device's cache.
   */
  sentSince: Reading[];
  /** Refused by the server: counted nowhere until corrected (see « Relevés »). */
  refused: number;
}

export interface CampaignTally {
  /** Whether any server figures are known (fetched now or cached). */
  serverKnown: boolean;
  fetchedAt?: number;
  /** On the server: its figures plus the readings this device sent since. */
  server: Counts;
  /** On this device, not sent yet. */
  device: Counts;
  total: Counts;
  sentSince: number;
  refused: number;
  serverTracks?: number;
  /** Tracks with points still waiting on this device (some may also have points on the server). */
  deviceTracks: number;
  lastReadingAt?: string;
}

export function emptyCounts(): Counts {
  return {
    readings: 0,
    byOperator: Object.fromEntries(OPERATORS.map((operator) => [operator, 0])) as Record<Operator, number>,
    byTechnology: Object.fromEntries(TECHNOLOGIES.map((technology) => [technology, 0])) as Record<Technology, number>,
  };
}

function countReadings(readings: readonly Reading[], into = emptyCounts()): Counts {
  for (const reading of readings) {
    into.readings += 1;
    into.byOperator[reading.operator] += 1;
    into.byTechnology[reading.technology] += 1;
  }
  return into;
}

function addCounts(a: Counts, b: Counts): Counts {
  const sum = emptyCounts();
  sum.readings = a.readings + b.readings;
  for (const operator of OPERATORS) sum.byOperator[operator] = (a.byOperator[operator] ?? 0) + (b.byOperator[operator] ?? 0);
  for (const technology of TECHNOLOGIES) sum.byTechnology[technology] = (a.byTechnology[technology] ?? 0) + (b.byTechnology[technology] ?? 0);
  return sum;
}

function countsOf(progress: CampaignProgress): Counts {
  // A server older or newer than this page may leave a key out: missing counts are zero.
  return addCounts(emptyCounts(), { readings: progress.readings, byOperator: progress.byOperator, byTechnology: progress.byTechnology });
}

/**
 * Splits the device's readings of a campaign by what the server's figures (asked for at
 * `fetchedAt`; undefined: never) can already hold. A reading sent before the figures were
 * asked for is in them; one sent after is not yet.
 */
export function readingsBeyondSnapshot(records: readonly OutboxRecord[], campaignId: string, fetchedAt: number | undefined): BeyondSnapshot {
  const beyond: BeyondSnapshot = { unsent: [], sentSince: [], refused: 0 };
  for (const record of records) {
    if (record.reading.campaignId !== campaignId) continue;
    if (record.state === 'pending') beyond.unsent.push(record.reading);
    else if (record.state === 'refused') beyond.refused += 1;
    else if (fetchedAt === undefined || (record.sentAt !== undefined && record.sentAt > fetchedAt)) beyond.sentSince.push(record.reading);
  }
  return beyond;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The server's figures merged with this device's readings of the campaign, without counting one twice. */
export function tallyCampaign(campaignId: string, server: ServerProgress | undefined, records: readonly OutboxRecord[]): CampaignTally {
  const beyond = readingsBeyondSnapshot(records, campaignId, server?.fetchedAt);
  const onServer = countReadings(beyond.sentSince, server ? countsOf(server.progress) : emptyCounts());
  const device = countReadings(beyond.unsent);
  let lastReadingAt = server?.progress.lastReadingAt;
  for (const reading of [...beyond.unsent, ...beyond.sentSince]) lastReadingAt = later(lastReadingAt, reading.recordedAt);
  const deviceTracks = new Set(beyond.unsent.map((reading) => reading.trackId).filter((id) => id !== undefined)).size;
  return {
    serverKnown: server !== undefined,
    ...(server && { fetchedAt: server.fetchedAt, serverTracks: server.progress.tracks }),
    server: onServer,
    device,
    total: addCounts(onServer, device),
    sentSince: beyond.sentSince.length,
    refused: beyond.refused,
    deviceTracks,
    ...(lastReadingAt !== undefined && { lastReadingAt }),
  };
}

export interface OperatorRow {
  operator: Operator;
  server: number;
  device: number;
  total: number;
  /** One of the operators the campaign set out to measure. */
  planned: boolean;
}

/**
 * One row per operator of the campaign (« pas encore mesuré » when its total is 0), then
 * any other operator someone measured anyway.
 */
export function operatorRows(tally: CampaignTally, campaignOperators: readonly Operator[]): OperatorRow[] {
  const planned = new Set(campaignOperators);
  return OPERATORS.filter((operator) => planned.has(operator) || tally.total.byOperator[operator] > 0).map((operator) => ({
    operator,
    server: tally.server.byOperator[operator],
    device: tally.device.byOperator[operator],
    total: tally.total.byOperator[operator],
    planned: planned.has(operator),
  }));
}
