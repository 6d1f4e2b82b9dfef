import { instantField, isRefusal, positionFields, refuse, type LogRowOptions, type RowOutcome } from './import-row.ts';
import type { CsvRow } from './tower-collector.ts';

/**
 * Network Survey's call log (« CDR » CSV), as `model/CdrEvent.java` writes it (CSV Version
 * 0.5.0; newer versions append deviceSerialNumber, missionId and recordNumber). One row per
 * event, written when the event starts: OUTGOING_CALL when the phone goes off-hook from idle,
 * INCOMING_CALL when it rings, the SMS and MMS it sends or receives, LOCATION_UPDATE when the
 * location area changes. The hang-up (`CALL_STATE_IDLE` in CellularController) writes nothing.
 */
export const NETWORK_SURVEY_CDR_COLUMNS = [
  'startTime',
  'latitude',
  'longitude',
  'altitude',
  'accuracy',
  'event',
  'originatingAddress',
  'destinationAddress',
  'csAccessNetworkTechnology',
  'csCellIdentifier',
  'psAccessNetworkTechnology',
  'psCellIdentifier',
  'slot',
] as const;
export const NETWORK_SURVEY_CDR_REQUIRED = [
  'startTime',
  'latitude',
  'longitude',
  'accuracy',
  'event',
  'csAccessNetworkTechnology',
  'csCellIdentifier',
] as const;

const CALL_EVENTS = new Set(['OUTGOING_CALL', 'INCOMING_CALL']);

/**
 * Why a logged call is no call test: the file says a call began (and where, on which cell),
 * never whether it was set up, how long it was held, nor whether it dropped. Counting it as
 * « réussi » would credit the operator with every dialled number; as « échec », blame it for
 * every call made. Neither the map check (held 1 minute) nor QoS (2 minutes) can be judged.
 */
export const NO_CALL_OUTCOME_REASON =
  'Appel sans issue ni durée : le journal d’appels de Network Survey note le début d’un appel, pas s’il a abouti, tenu ou coupé ; faites le test d’appel guidé de Couverture';

/**
 * One CDR row → always a refusal, each with its reason: an event that is no call, a call
 * without a position, or a call the log cannot say the outcome of (see NO_CALL_OUTCOME_REASON).
 * Recognising the file lets the agent read why, line by line, rather than « format non reconnu ».
 */
export function mapNetworkSurveyCdrRow(row: CsvRow, _options: LogRowOptions): RowOutcome {
  const event = row.event?.trim().toUpperCase() ?? '';
  if (!CALL_EVENTS.has(event)) {
    return refuse('not-a-call', event ? `Événement « ${event} » : seuls les appels du journal sont des tests d’appel` : 'Événement (event) manquant');
  }
  const position = positionFields(row.latitude, row.longitude, row.accuracy);
  if (isRefusal(position)) {
    const noFix = !row.latitude?.trim() || !row.longitude?.trim();
    return refuse('position', noFix ? 'Appel sans position : le téléphone n’avait pas de position GPS au début de l’appel' : `Appel : ${position.reason}`);
  }
  if (!instantField(row.startTime))
    return refuse('time', row.startTime?.trim() ? `Date illisible : « ${row.startTime.trim()} »` : 'Date (startTime) manquante');
  return refuse('no-call-outcome', NO_CALL_OUTCOME_REASON);
}
