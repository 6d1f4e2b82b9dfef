import { csvTable } from '../../domain/csv.ts';
import { readingLevel } from '../../domain/level.ts';
import { OPERATOR_LABELS, OPERATOR_PLMNS, OPERATORS } from '../../domain/operators.ts';
import {
  callOutcome,
  downloadMbps,
  pageOutcome,
  PROTOCOLS,
  protocolOf,
  smsOutcome,
  THROUGHPUT_CLASSES,
  throughputClass,
  uploadOutcome,
  type TestOutcome,
} from '../../domain/protocol.ts';
import { SETTINGS, SOURCES, type Reading, type Setting } from '../../domain/reading.ts';
import { TECHNOLOGIES } from '../../domain/signal.ts';

/**
 * GET /api/v1/exports/arcep-qos.csv: readings in the layout of Arcep's published QoS files
 * (Mon Réseau Mobile), Arcep's sixteen columns first in their order, then ours. Every column
 * is a Table Schema field (frictionless) with its type, unit and meaning; docs/arcep-qos.md
 * says where each comes from and what an empty cell means; docs/arcep-qos.schema.json is
 * {@link arcepQosTableSchema} as served at /api/v1/exports/arcep-qos.schema.json. Whether a
 * test succeeded is asked of src/domain/protocol.ts only.
 */

export interface ArcepQosRow {
  reading: Reading;
  /** The commune the server placed the reading in (null: none known). */
  commune: string | null;
}

type FieldType = 'string' | 'number' | 'integer' | 'date' | 'time' | 'boolean';

export interface ArcepQosField {
  name: string;
  type: FieldType;
  title: string;
  description: string;
  /** Unit of a number, as text (Table Schema has no unit keyword: kept as an extra property, which the spec allows). */
  unit?: string;
  format?: string;
  constraints?: { required?: boolean; enum?: string[]; minimum?: number; maximum?: number; pattern?: string };
  /** The cell of one reading (null: empty). Not part of the served schema. */
  value: (row: ArcepQosRow) => string | number | null;
}

const PARIS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant's day and time in Europe/Paris: `2026-05-04`, `10:15:00`. */
export function parisDayAndTime(iso: string): { date: string; time: string } | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const part = Object.fromEntries(PARIS.formatToParts(at).map(({ type, value }) => [type, value]));
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}:${part.second}` };
}

/** Arcep's binary columns: 1 success, 0 failure; a partial call is not a success (0). */
const binary = (outcome: TestOutcome | undefined): number | null => (outcome === undefined ? null : outcome === 'success' ? 1 : 0);
const isQos = (row: ArcepQosRow) => protocolOf(row.reading) === 'qos';
const round = (value: number | undefined, digits: number) => (value === undefined ? null : Number(value.toFixed(digits)));

/** Arcep's words for where the test was made (their QoS file's three situations). */
export const SITUATIONS: Record<Setting, string> = { outdoor: 'exterieur', indoor: 'interieur', vehicle: 'en_voiture' };

const ARCEP_FIELDS: ArcepQosField[] = [
  {
    name: 'mcc_mnc',
    type: 'string',
    title: 'Réseau (MCC MNC)',
    description:
      'Code du réseau mesuré : MCC 208 (France) suivi du MNC principal de l’opérateur (20801 Orange, 20810 SFR, 20820 Bouygues Telecom, 20815 Free Mobile).',
    constraints: { required: true, pattern: '^208[0-9]{2}$' },
    value: ({ reading }) => OPERATOR_PLMNS[reading.operator][0]!.replace('-', ''),
  },
  {
    name: 'rsrp',
    type: 'integer',
    title: 'RSRP',
    unit: 'dBm',
    description:
      'Puissance reçue du signal de référence 4G (RSRP), en dBm ; vide pour un relevé qui n’est pas en 4G ou sans valeur en dBm (les barres seules ne donnent pas de RSRP).',
    constraints: { minimum: -140, maximum: -43 },
    value: ({ reading }) => (reading.technology === '4G' && reading.signalDbm !== undefined ? Math.round(reading.signalDbm) : null),
  },
  {
    name: 'terminal',
    type: 'string',
    title: 'Terminal',
    description: 'Modèle du téléphone : toujours vide, un navigateur ne le donne pas de façon fiable et le relevé ne le garde pas.',
    value: () => null,
  },
  {
    name: 'protocole',
    type: 'string',
    title: 'Protocole',
    description:
      'Protocole de mesure : qos (« Qualité de service (Arcep) », appel de 2 minutes, SMS en 10 s, tests de données) ou map-check (« Vérification de carte », appel tenu 1 minute). Un relevé sans protocole suit celui de la vérification de carte.',
    constraints: { required: true, enum: [...PROTOCOLS] },
    value: ({ reading }) => protocolOf(reading),
  },
  {
    name: 'strate',
    type: 'string',
    title: 'Strate',
    description: 'Strate de l’Arcep (dense, intermédiaire, rural, touristique) : toujours vide, Couverture n’a pas le zonage de l’Arcep (docs/arcep-qos.md).',
    value: () => null,
  },
  {
    name: 'situation',
    type: 'string',
    title: 'Situation',
    description: 'Où la mesure a été faite, déclaré par l’agent : exterieur, interieur ou en_voiture.',
    constraints: { required: true, enum: SETTINGS.map((setting) => SITUATIONS[setting]) },
    value: ({ reading }) => SITUATIONS[reading.setting],
  },
  {
    name: 'date',
    type: 'date',
    title: 'Date',
    description: 'Jour de la mesure à l’heure de Paris (AAAA-MM-JJ).',
    constraints: { required: true },
    value: ({ reading }) => parisDayAndTime(reading.recordedAt)?.date ?? null,
  },
  {
    name: 'heure',
    type: 'time',
    title: 'Heure',
    description: 'Heure de la mesure à Paris, heure d’été ou d’hiver (HH:MM:SS).',
    constraints: { required: true },
    value: ({ reading }) => parisDayAndTime(reading.recordedAt)?.time ?? null,
  },
  {
    name: 'latitude',
    type: 'number',
    title: 'Latitude',
    unit: 'degré (WGS 84)',
    description: 'Latitude de la mesure, WGS 84.',
    constraints: { required: true, minimum: -90, maximum: 90 },
    value: ({ reading }) => reading.lat,
  },
  {
    name: 'longitude',
    type: 'number',
    title: 'Longitude',
    unit: 'degré (WGS 84)',
    description: 'Longitude de la mesure, WGS 84.',
    constraints: { required: true, minimum: -180, maximum: 180 },
    value: ({ reading }) => reading.lon,
  },
  {
    name: 'insee_com',
    type: 'string',
    title: 'Commune (code INSEE)',
    description: 'Commune où le serveur a placé la mesure (code INSEE, contours des communes) ; vide en mer ou sans données de communes.',
    constraints: { pattern: '^[0-9][0-9AB][0-9]{3}$' },
    value: ({ commune, reading }) => commune ?? reading.communeInsee ?? null,
  },
  {
    name: 'appel_2min',
    type: 'integer',
    title: 'Appel de 2 minutes',
    description:
      'Protocole qos : 1 appel tenu 2 minutes avec une voix jugée compréhensible par l’agent (le MOS de l’Arcep ne se mesure pas dans un navigateur : c’est le jugement de l’agent), 0 appel échoué, coupé ou tenu avec une voix dégradée ; vide sans appel guidé conforme, et pour le protocole map-check (son appel dure 1 minute : voir appel_resultat).',
    constraints: { minimum: 0, maximum: 1 },
    value: (row) => (isQos(row) ? binary(callOutcome(row.reading)) : null),
  },
  {
    name: 'sms_10s',
    type: 'integer',
    title: 'SMS reçu en 10 s',
    description:
      'Protocole qos : 1 SMS reçu dans les 10 secondes, 0 reçu plus tard ou pas du tout ; vide sans SMS guidé au délai connu, et pour le protocole map-check (sans délai mesuré).',
    constraints: { minimum: 0, maximum: 1 },
    value: (row) => (isQos(row) ? binary(smsOutcome(row.reading)) : null),
  },
  {
    name: 'page_chargee_moins_10s',
    type: 'integer',
    title: 'Page chargée en moins de 10 s',
    description:
      'Test de page contre ce serveur (un document et ses ressources, environ 2 Mo) : 1 tout reçu en 10 s au plus, 0 sinon ; vide sans test (ou téléphone hors ligne).',
    constraints: { minimum: 0, maximum: 1 },
    value: ({ reading }) => binary(pageOutcome(reading.dataTest)),
  },
  {
    name: 'fichier_charge_en_moins_de_30s',
    type: 'integer',
    title: 'Fichier envoyé en moins de 30 s',
    description: 'Envoi d’un fichier de 1 Mo vers ce serveur : 1 reçu intact en moins de 30 s, 0 sinon ; vide sans test (ou téléphone hors ligne).',
    constraints: { minimum: 0, maximum: 1 },
    value: ({ reading }) => binary(uploadOutcome(reading.dataTest)),
  },
  {
    name: 'debit_en_mbits',
    type: 'number',
    title: 'Débit descendant',
    unit: 'Mbit/s',
    description:
      'Débit descendant mesuré depuis ce serveur (jusqu’à 10 s ou 10 Mo), en mégabits par seconde (10⁶ bits/s), arrondi au centième ; vide sans test.',
    constraints: { minimum: 0 },
    value: ({ reading }) => round(downloadMbps(reading.dataTest), 2),
  },
];

const OUR_FIELDS: ArcepQosField[] = [
  {
    name: 'id',
    type: 'string',
    title: 'Relevé',
    description: 'Identifiant du relevé (UUID).',
    constraints: { required: true },
    value: ({ reading }) => reading.id,
  },
  {
    name: 'operateur',
    type: 'string',
    title: 'Opérateur',
    description: 'Nom de l’opérateur mesuré.',
    constraints: { required: true, enum: OPERATORS.map((operator) => OPERATOR_LABELS[operator]) },
    value: ({ reading }) => OPERATOR_LABELS[reading.operator],
  },
  {
    name: 'technologie',
    type: 'string',
    title: 'Technologie',
    description: 'Technologie radio affichée par le téléphone (none : aucun réseau).',
    constraints: { required: true, enum: [...TECHNOLOGIES] },
    value: ({ reading }) => reading.technology,
  },
  {
    name: 'signal_dbm',
    type: 'integer',
    title: 'Signal',
    unit: 'dBm',
    description: 'Valeur du signal en dBm de la technologie (RSRP en 4G, SS-RSRP en 5G, RSCP en 3G, RSSI en 2G) ; vide sans valeur.',
    constraints: { minimum: -156, maximum: -25 },
    value: ({ reading }) => (reading.signalDbm === undefined ? null : Math.round(reading.signalDbm)),
  },
  {
    name: 'barres',
    type: 'integer',
    title: 'Barres',
    description: 'Barres affichées (0 à 4) ; vide si non relevées.',
    constraints: { minimum: 0, maximum: 4 },
    value: ({ reading }) => reading.signalBars ?? null,
  },
  {
    name: 'niveau',
    type: 'string',
    title: 'Niveau',
    description: 'Niveau de couverture du relevé (TBC, BC, CL, PC au sens de l’Arcep, docs/coverage-rules.md).',
    constraints: { required: true, enum: ['TBC', 'BC', 'CL', 'PC'] },
    value: ({ reading }) => readingLevel(reading),
  },
  {
    name: 'appel_resultat',
    type: 'string',
    title: 'Résultat de l’appel',
    description:
      'Appel guidé jugé selon son protocole : success, partial (qos : tenu, voix dégradée) ou failure ; vide sans appel conforme (raccroché avant la durée du protocole, ou aucun appel guidé).',
    constraints: { enum: ['success', 'partial', 'failure'] },
    value: ({ reading }) => callOutcome(reading) ?? null,
  },
  {
    name: 'appel_duree_s',
    type: 'number',
    title: 'Durée de l’appel',
    unit: 's',
    description: 'Durée de l’appel guidé en secondes ; vide sans appel guidé.',
    constraints: { minimum: 0 },
    value: ({ reading }) => reading.callTest?.durationS ?? null,
  },
  {
    name: 'appel_audio',
    type: 'string',
    title: 'Voix',
    description:
      'Jugement de l’agent sur la voix pendant l’appel (good : compréhensible, poor : dégradée) ; ce n’est pas une mesure de MOS ; vide s’il n’a pas été donné.',
    constraints: { enum: ['good', 'poor'] },
    value: ({ reading }) => reading.callTest?.audio ?? null,
  },
  {
    name: 'sms_delai_s',
    type: 'number',
    title: 'Délai du SMS',
    unit: 's',
    description: 'Délai entre l’envoi et la réception du SMS guidé, en secondes ; vide s’il n’est pas connu.',
    constraints: { minimum: 0 },
    value: ({ reading }) => reading.smsTest?.delayS ?? null,
  },
  {
    name: 'envoi_duree_ms',
    type: 'number',
    title: 'Durée de l’envoi',
    unit: 'ms',
    description: 'Durée de l’envoi du fichier de 1 Mo jusqu’à la réponse du serveur ; vide sans test.',
    constraints: { minimum: 0 },
    value: ({ reading }) => reading.dataTest?.upload?.durationMs ?? null,
  },
  {
    name: 'page_duree_ms',
    type: 'number',
    title: 'Durée de la page',
    unit: 'ms',
    description: 'Durée du chargement de la page et de ses ressources jusqu’à la dernière ; vide sans test.',
    constraints: { minimum: 0 },
    value: ({ reading }) => reading.dataTest?.page?.durationMs ?? null,
  },
  {
    name: 'debit_classe',
    type: 'string',
    title: 'Classe de débit',
    description: 'Classe de débit descendant de l’Arcep : <3, 3-8, 8-30 ou >30 Mbit/s (une borne appartient à la classe au-dessus) ; vide sans test.',
    constraints: { enum: [...THROUGHPUT_CLASSES] },
    value: ({ reading }) => {
      const mbps = downloadMbps(reading.dataTest);
      return mbps === undefined ? null : throughputClass(mbps);
    },
  },
  {
    name: 'hors_ligne',
    type: 'integer',
    title: 'Appareil hors ligne',
    description: '1 quand les tests de données n’ont pas pu être lancés faute de réseau (« appareil hors ligne ») ; vide sinon.',
    constraints: { minimum: 1, maximum: 1 },
    value: ({ reading }) => (reading.dataTest?.offline ? 1 : null),
  },
  {
    name: 'precision_m',
    type: 'number',
    title: 'Précision',
    unit: 'm',
    description: 'Précision de la position donnée par le téléphone, en mètres.',
    constraints: { required: true, minimum: 0 },
    value: ({ reading }) => reading.accuracyM,
  },
  {
    name: 'source',
    type: 'string',
    title: 'Source',
    description: 'Origine du relevé : agent (saisi sur le terrain) ou import (fichier d’une application de mesure).',
    constraints: { required: true, enum: SOURCES.filter((source) => source !== 'resident') },
    value: ({ reading }) => reading.source,
  },
  {
    name: 'campagne',
    type: 'string',
    title: 'Campagne',
    description: 'Identifiant de la campagne du relevé ; vide hors campagne.',
    value: ({ reading }) => reading.campaignId ?? null,
  },
];

/** Every column, Arcep's sixteen first, in order. */
export const ARCEP_QOS_FIELDS: readonly ArcepQosField[] = [...ARCEP_FIELDS, ...OUR_FIELDS];
export const ARCEP_COLUMNS = ARCEP_FIELDS.map((field) => field.name);

/** The Table Schema (frictionless) of the export, as served and as docs/arcep-qos.schema.json holds it. */
export function arcepQosTableSchema() {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    fields: ARCEP_QOS_FIELDS.map(({ value: _, ...field }) => field),
    primaryKey: ['id'],
    missingValues: [''],
  };
}

/** Residents' readings are signals, not tests: they are left out of the export. */
export function isQosEvidence(reading: Reading): boolean {
  return reading.source !== 'resident';
}

/** The export's text: header, then one line per reading (machine CSV, LF, no byte-order mark). */
export function arcepQosCsv(rows: readonly ArcepQosRow[]): string {
  return csvTable(
    ARCEP_QOS_FIELDS.map((field) => field.name),
    rows.map((row) => ARCEP_QOS_FIELDS.map((field) => field.value(row))),
    { newline: '\n' },
  );
}
