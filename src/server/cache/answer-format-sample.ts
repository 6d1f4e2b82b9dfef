import { cellAt, cellAtLaea, formatCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { tileOfCell, type CellTile } from '../../domain/grid/cell-tiles.ts';
import { addToStats, emptyStats, type StatsInput } from '../../domain/grid/group-stats.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Setting } from '../../domain/reading.ts';
import type { RadioTechnology } from '../../domain/signal.ts';
import type { DeclaredCellRow, DeclaredCoverageStore } from '../storage/declared-coverage-store.ts';
import { ALL_PERIODS, type GridGroupRow, type GridReportRow, type GridStore } from '../storage/grid-store.ts';
import type { CellPopulationRow, PeopleStore } from '../storage/people-store.ts';

/**
 * A fixed, tiny grid the tile answers' format is read from (stored-answers.ts): a process
 * builds the page's compact answer of {@link FORMAT_SAMPLE_TILE} from these reads through the
 * same code as every tile's answer (routes/cells.ts), once, and that text goes into the version
 * answers are kept under in the database. Whatever changes what the code writes for the same
 * rows (a field, a rounding, a verdict's rule, the cell's place) changes the sample's text, so
 * answers kept by a server of other code are never served; nobody has to remember to bump a
 * number. The rows give every field of a compact cell and of an operator's figures a value
 * (test/server/cells-answer-format.test.ts checks it against the answer's schema), so that a
 * change to any of them shows here.
 */

/** What a cells answer reads from the store (routes/cells.ts): the sample answers the same reads. */
export type CellsAnswerReads = GridStore & PeopleStore & DeclaredCoverageStore;

/** Saint-Guilhem-le-Désert's 1 km cell (Hérault): the sample's first cell, and its tile. */
const FIRST: CellRef = cellAt(3.5494, 43.7339, 1000)!;
/** The next cell east, in the same tile. */
const SECOND: CellRef = cellAtLaea(FIRST.east + 1000, FIRST.north, 1000);

export const FORMAT_SAMPLE_TILE: CellTile = tileOfCell(FIRST);

const AT = '2026-03-14T09:30:00.000Z';
const CALL = { startedAt: AT, durationS: 130, audio: 'good' as const };
const SMS = { startedAt: AT, delayS: 4 };

type SampleReading = StatsInput & { contributor: string };

/** Per cell, operator, technology and setting: the readings of the group, with all a reading may carry. */
const GROUPS: { cell: CellRef; operator: Operator; technology: RadioTechnology; setting: Setting; readings: SampleReading[] }[] = [
  {
    cell: FIRST,
    operator: 'orange',
    technology: '4G',
    setting: 'outdoor',
    readings: [
      { contributor: 'a', recordedAt: AT, technology: '4G', signalDbm: -95, voice: 'ok', callTest: CALL, sms: 'ok', smsTest: SMS, protocol: 'qos' },
      { contributor: 'b', recordedAt: AT, technology: '4G', signalDbm: -112, voice: 'dropped', callTest: CALL, sms: 'failed', smsTest: SMS, protocol: 'qos' },
      { contributor: 'c', recordedAt: AT, technology: '4G', signalDbm: -121, voice: 'failed', callTest: CALL, sms: 'ok', smsTest: SMS },
      {
        contributor: 'c',
        recordedAt: AT,
        technology: '4G',
        signalDbm: -101,
        voice: 'ok',
        callTest: { ...CALL, durationS: 65 },
        dataTest: {
          startedAt: AT,
          upload: { bytes: 1_000_000, durationMs: 4_200, intact: true },
          download: { bytes: 6_000_000, durationMs: 10_000 },
          page: { bytes: 800_000, durationMs: 2_100, complete: true },
        },
        protocol: 'qos',
      },
    ],
  },
  {
    cell: FIRST,
    operator: 'sfr',
    technology: '4G',
    setting: 'indoor',
    // Poor wherever it was measured, where its map says BC: a discrepancy.
    readings: [
      { contributor: 'a', recordedAt: AT, technology: '4G', signalBars: 1, voice: 'failed', callTest: CALL },
      { contributor: 'a', recordedAt: AT, technology: '4G', signalBars: 0 },
      { contributor: 'b', recordedAt: AT, technology: '4G', signalDbm: -124 },
      { contributor: 'b', recordedAt: AT, technology: '4G', signalDbm: -127, voice: 'failed', callTest: CALL },
    ],
  },
  {
    cell: SECOND,
    operator: 'bouygues',
    technology: '4G',
    setting: 'vehicle',
    // Good wherever it was measured: covering.
    readings: [-80, -84, -89, -93].map((signalDbm, i) => ({ contributor: `f${i % 2}`, recordedAt: AT, technology: '4G' as const, signalDbm })),
  },
  {
    cell: SECOND,
    operator: 'free',
    technology: '5G',
    setting: 'outdoor',
    readings: [
      { contributor: 'd', recordedAt: AT, technology: '5G', signalDbm: -88, voice: 'ok', callTest: CALL },
      { contributor: 'e', recordedAt: AT, technology: '5G', signalDbm: -90 },
    ],
  },
];

const REPORTS: GridReportRow[] = [
  { cell: formatCellId(FIRST), operator: 'orange', month: ALL_PERIODS, departement: '34', count: 2 },
  { cell: formatCellId(SECOND), operator: 'bouygues', month: ALL_PERIODS, departement: '34', count: 1 },
];

/** INSEE's 200 m cells inside the first cell. */
const POPULATION: CellPopulationRow[] = [
  { north: FIRST.north, east: FIRST.east, inhabitants: 31.5, households: 14.2, dwellings: 20, edition: '2021' },
  { north: FIRST.north + 200, east: FIRST.east + 400, inhabitants: 7, households: 3, dwellings: 4, edition: '2021' },
];

const DECLARED: DeclaredCellRow[] = [
  { resolutionM: 1000, north: FIRST.north, east: FIRST.east, operator: 'orange', technology: '4G', level: 'TBC', departement: '34' },
  { resolutionM: 1000, north: FIRST.north, east: FIRST.east, operator: 'sfr', technology: '4G', level: 'BC', departement: '34' },
  { resolutionM: 1000, north: SECOND.north, east: SECOND.east, operator: 'free', technology: '5G', level: 'CL', departement: '34' },
];

function groupRows(): GridGroupRow[] {
  return GROUPS.map(({ cell, operator, technology, setting, readings }) => ({
    cell: formatCellId(cell),
    operator,
    technology,
    setting,
    month: ALL_PERIODS,
    departement: '34',
    stats: readings.reduce((stats, { contributor, ...reading }) => addToStats(stats, reading, contributor), emptyStats()),
  }));
}

const refused = async (): Promise<never> => {
  throw new Error('Échantillon de format : lecture seule.');
};

/**
 * The sample's reads: the same rows whatever the query asks (the sample answer is the page's
 * view of its tile, every operator, every period), fresh at each call as the stores' are.
 */
export function formatSampleReads(): CellsAnswerReads {
  return {
    gridGroups: async () => groupRows(),
    gridReports: async () => REPORTS.map((row) => ({ ...row })),
    populationIn: async () => POPULATION.map((row) => ({ ...row })),
    pointsOfInterestIn: async () => [],
    declaredCells: async () => DECLARED.map((row) => ({ ...row })),
    declaredEditions: async () => [],
    importPopulation: refused,
    importPointsOfInterest: refused,
    replaceDeclaredCoverage: refused,
    rebuildGrid: refused,
  };
}
