import * as v from 'valibot';
import { fieldLabel, missingFieldMessage } from './field-labels.ts';
import { OPERATORS } from './operators.ts';
import { CALL_AUDIO, PROTOCOLS } from './protocol.ts';
import {
  EARLIEST_RECORDED_AT,
  INSEE_CODE_PATTERN,
  isRealCalendarDate,
  MAX_ACCURACY_M,
  MAX_DATA_TEST_BYTES,
  MAX_EXTRA_KEYS,
  MAX_FUTURE_MS,
  MAX_NOTE_LENGTH,
  PROBE_RESULTS,
  PROBE_STEPS,
  READING_POSITION_SOURCES,
  SETTINGS,
  SMS_RESULTS,
  SOURCES,
  VOICE_RESULTS,
  type FieldError,
} from './reading.ts';
import { PLAUSIBLE_DBM, TECHNOLOGIES, type RadioTechnology } from './signal.ts';

/**
 * The validation of a reading's wire format (reading.ts: its fields' values and limits), for
 * the server's ingest and the phone's save alike. Apart from reading.ts because valibot and
 * these schemas are ~20 KB of script that the survey's first screen does not need: the page
 * loads this module once the screen is drawn, before the first save (issue 19).
 */

const finite = (message: string) => v.pipe(v.number(message), v.finite(message));
const ranged = (min: number, max: number, what: string) =>
  v.pipe(finite(`${what} doit être un nombre`), v.minValue(min, `${what} doit être ≥ ${min}`), v.maxValue(max, `${what} doit être ≤ ${max}`));

/** valibot's object() takes arrays for objects; a JSON array here is always a client bug. */
const isJsonObject = (input: unknown): input is Record<string, unknown> => typeof input === 'object' && input !== null && !Array.isArray(input);

const shortText = (max: number, what: string) => v.pipe(v.string(`${what} doit être un texte`), v.maxLength(max, `${what} dépasse ${max} caractères`));

const ConnectionSchema = v.pipe(
  v.custom<Record<string, unknown>>(isJsonObject, 'connection doit être un objet JSON'),
  v.object({
    /** false: this browser has no Network Information API (only Chromium has it). */
    available: v.optional(v.boolean('connection.available doit être vrai ou faux')),
    type: v.optional(shortText(20, 'connection.type')),
    effectiveType: v.optional(shortText(10, 'connection.effectiveType')),
    downlinkMbps: v.optional(ranged(0, 100_000, 'connection.downlinkMbps')),
    rttMs: v.optional(ranged(0, 600_000, 'connection.rttMs')),
  }),
);

/**
 * An ISO 8601 timestamp with offset, on a real calendar day, within what a phone's clock
 * can plausibly say. One message per fault: a malformed text is not also "in the future".
 */
export function plausibleTimestamp(now: () => number) {
  const parses = (s: string) => Number.isFinite(Date.parse(s));
  return v.pipe(
    v.string('La date doit être un texte ISO 8601'),
    v.isoTimestamp('La date doit être au format ISO 8601 avec fuseau (ex. 2026-05-04T10:15:00+02:00)'),
    v.check((s) => !parses(s) || isRealCalendarDate(s), 'Cette date n’existe pas dans le calendrier'),
    v.check((s) => !parses(s) || Date.parse(s) <= now() + MAX_FUTURE_MS, 'La date est plus de 24 h dans le futur : vérifiez l’horloge du téléphone'),
    v.check((s) => !parses(s) || Date.parse(s) >= Date.parse(EARLIEST_RECORDED_AT), 'La date est antérieure à 2018 : vérifiez l’horloge du téléphone'),
  );
}

/** Made on the device with crypto.randomUUID(), which writes lower case; one spelling per id. */
export const DeviceUuidSchema = v.pipe(
  v.string('L’identifiant doit être un texte'),
  v.uuid('L’identifiant doit être un UUID'),
  v.check((s) => s === s.toLowerCase(), 'L’identifiant doit être écrit en minuscules'),
);

const ProbeSchema = v.pipe(
  v.custom<Record<string, unknown>>(isJsonObject, 'probe doit être un objet JSON'),
  v.object(
    {
      startedAt: v.pipe(v.string('probe.startedAt doit être un texte ISO 8601'), v.isoTimestamp('probe.startedAt doit être au format ISO 8601 avec fuseau')),
      durationMs: ranged(0, 600_000, 'probe.durationMs'),
      result: v.picklist(PROBE_RESULTS, `probe.result inconnu : attendu ${PROBE_RESULTS.join(', ')}`),
      latencyMs: v.optional(ranged(0, 600_000, 'probe.latencyMs')),
      latencySamples: v.optional(v.pipe(ranged(0, 100, 'probe.latencySamples'), v.integer('probe.latencySamples doit être un entier'))),
      downloadKbps: v.optional(ranged(0, 10_000_000, 'probe.downloadKbps')),
      uploadKbps: v.optional(ranged(0, 10_000_000, 'probe.uploadKbps')),
      /** The step that failed or timed out, when one did. */
      failedStep: v.optional(v.picklist(PROBE_STEPS, `probe.failedStep inconnu : attendu ${PROBE_STEPS.join(', ')}`)),
      error: v.optional(shortText(200, 'probe.error')),
    },
    (issue) => (issue.path ? missingFieldMessage(`probe.${v.getDotPath(issue)}`) : 'probe doit être un objet JSON'),
  ),
);

/** When and how long the guided call test ran (the answer itself is `voice`). */
const CallTestSchema = v.pipe(
  v.custom<Record<string, unknown>>(isJsonObject, 'callTest doit être un objet JSON'),
  v.object(
    {
      startedAt: v.pipe(
        v.string('callTest.startedAt doit être un texte ISO 8601'),
        v.isoTimestamp('callTest.startedAt doit être au format ISO 8601 avec fuseau'),
      ),
      durationS: ranged(0, 3600, 'callTest.durationS'),
      /** QoS: the agent's judgement of the audio (a browser cannot measure it). */
      audio: v.optional(v.picklist(CALL_AUDIO, `callTest.audio inconnu : attendu ${CALL_AUDIO.join(', ')}`)),
    },
    (issue) => (issue.path ? missingFieldMessage(`callTest.${v.getDotPath(issue)}`) : 'callTest doit être un objet JSON'),
  ),
);

/**
 * When the guided SMS test was sent (the answer itself is `sms`). QoS: when it arrived on the
 * second phone, as the agent confirmed it (docs/coverage-rules.md), and the delay in seconds.
 */
const SmsTestSchema = v.pipe(
  v.custom<Record<string, unknown>>(isJsonObject, 'smsTest doit être un objet JSON'),
  v.object(
    {
      startedAt: v.pipe(
        v.string('smsTest.startedAt doit être un texte ISO 8601'),
        v.isoTimestamp('smsTest.startedAt doit être au format ISO 8601 avec fuseau'),
      ),
      receivedAt: v.optional(
        v.pipe(v.string('smsTest.receivedAt doit être un texte ISO 8601'), v.isoTimestamp('smsTest.receivedAt doit être au format ISO 8601 avec fuseau')),
      ),
      delayS: v.optional(ranged(0, 86_400, 'smsTest.delayS')),
    },
    (issue) => (issue.path ? missingFieldMessage(`smsTest.${v.getDotPath(issue)}`) : 'smsTest doit être un objet JSON'),
  ),
);

/** One part of the data tests: bytes moved in durationMs, and the part's own facts. */
const dataPart = <const Entries extends v.ObjectEntries>(part: string, entries: Entries) =>
  v.pipe(
    v.custom<Record<string, unknown>>(isJsonObject, `dataTest.${part} doit être un objet JSON`),
    v.object(
      {
        bytes: v.pipe(ranged(0, MAX_DATA_TEST_BYTES, `dataTest.${part}.bytes`), v.integer(`dataTest.${part}.bytes doit être un entier`)),
        durationMs: ranged(0, 600_000, `dataTest.${part}.durationMs`),
        ...entries,
      },
      (issue) => (issue.path ? missingFieldMessage(`dataTest.${part}.${v.getDotPath(issue)}`) : `dataTest.${part} doit être un objet JSON`),
    ),
  );

/**
 * The QoS data tests against this server (DataTest of protocol.ts): each part present when it
 * ran; `offline` when the phone said it had no network, so that none was attempted.
 */
const DataTestSchema = v.pipe(
  v.custom<Record<string, unknown>>(isJsonObject, 'dataTest doit être un objet JSON'),
  v.object(
    {
      startedAt: v.pipe(
        v.string('dataTest.startedAt doit être un texte ISO 8601'),
        v.isoTimestamp('dataTest.startedAt doit être au format ISO 8601 avec fuseau'),
      ),
      offline: v.optional(v.boolean('dataTest.offline doit être vrai ou faux')),
      upload: v.optional(dataPart('upload', { intact: v.boolean('dataTest.upload.intact doit être vrai ou faux') })),
      download: v.optional(dataPart('download', {})),
      page: v.optional(dataPart('page', { complete: v.boolean('dataTest.page.complete doit être vrai ou faux') })),
    },
    (issue) => (issue.path ? missingFieldMessage(`dataTest.${v.getDotPath(issue)}`) : 'dataTest doit être un objet JSON'),
  ),
  v.check(
    (test) => !test.offline || (test.upload === undefined && test.download === undefined && test.page === undefined),
    'Un test de données hors ligne n’a pas de mesures : l’appareil n’a rien tenté',
  ),
);

/** Flat facts from an imported log (cell identifiers, PLMN, format): text or numbers, short. */
const ExtraSchema = v.pipe(
  v.custom<Record<string, unknown>>(isJsonObject, 'extra doit être un objet JSON'),
  v.record(
    v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'Les clés de extra sont des noms courts (lettres, chiffres, _)')),
    v.union(
      [shortText(100, 'Une valeur de extra'), finite('Une valeur de extra doit être un texte ou un nombre')],
      'Une valeur de extra doit être un texte ou un nombre',
    ),
  ),
  v.check((record) => Object.keys(record).length <= MAX_EXTRA_KEYS, `extra a plus de ${MAX_EXTRA_KEYS} clés`),
);

export interface SchemaOptions {
  /** Clock used for the "not in the future" bound; the server passes its own. */
  now?: () => number;
}

export function createReadingSchema({ now = Date.now }: SchemaOptions = {}) {
  return v.pipe(
    v.object(
      {
        id: DeviceUuidSchema,
        recordedAt: plausibleTimestamp(now),
        lat: ranged(-90, 90, 'La latitude'),
        lon: ranged(-180, 180, 'La longitude'),
        accuracyM: v.pipe(
          finite('La précision doit être un nombre de mètres'),
          v.minValue(0, 'La précision ne peut pas être négative'),
          v.maxValue(MAX_ACCURACY_M, `Position trop imprécise (plus de ${MAX_ACCURACY_M} m) pour servir de preuve`),
        ),
        altitudeM: v.optional(ranged(-500, 9000, 'L’altitude')),
        speedMps: v.optional(ranged(0, 150, 'La vitesse')),
        headingDeg: v.optional(v.pipe(finite('Le cap doit être un nombre'), v.minValue(0, 'Le cap doit être ≥ 0'), v.ltValue(360, 'Le cap doit être < 360'))),
        positionAgeMs: v.optional(ranged(0, 86_400_000, 'L’âge de la position')),
        /** 'manual': placed by hand on a map (no GPS fix); absent: the device's own positioning. */
        positionSource: v.optional(v.picklist(READING_POSITION_SOURCES, `Origine de la position inconnue : attendu ${READING_POSITION_SOURCES.join(', ')}`)),
        /** A static test's position averaged over this many fixes (src/domain/position-average.ts); absent: one fix. */
        positionFixes: v.optional(
          v.pipe(ranged(1, 10_000, 'Le nombre de positions moyennées'), v.integer('Le nombre de positions moyennées doit être un entier')),
        ),
        operator: v.picklist(OPERATORS, `Opérateur inconnu : attendu ${OPERATORS.join(', ')}`),
        technology: v.picklist(TECHNOLOGIES, `Technologie inconnue : attendu ${TECHNOLOGIES.join(', ')}`),
        signalDbm: v.optional(v.pipe(finite('Le signal doit être un nombre de dBm'), v.integer('Le signal doit être un nombre entier de dBm'))),
        signalBars: v.optional(
          v.pipe(
            finite('Les barres doivent être un nombre'),
            v.integer('Les barres doivent être un entier'),
            v.minValue(0, 'Les barres vont de 0 à 4'),
            v.maxValue(4, 'Les barres vont de 0 à 4'),
          ),
        ),
        setting: v.picklist(SETTINGS, `Situation inconnue : attendu ${SETTINGS.join(', ')}`),
        voice: v.optional(v.picklist(VOICE_RESULTS, `Résultat d’appel inconnu : attendu ${VOICE_RESULTS.join(', ')}`)),
        sms: v.optional(v.picklist(SMS_RESULTS, `Résultat de SMS inconnu : attendu ${SMS_RESULTS.join(', ')}`)),
        source: v.picklist(SOURCES, `Source inconnue : attendu ${SOURCES.join(', ')}`),
        note: v.optional(v.pipe(v.string('La note doit être un texte'), v.maxLength(MAX_NOTE_LENGTH, `La note dépasse ${MAX_NOTE_LENGTH} caractères`))),
        connection: v.optional(ConnectionSchema),
        probe: v.optional(ProbeSchema),
        callTest: v.optional(CallTestSchema),
        smsTest: v.optional(SmsTestSchema),
        /** The QoS data tests (upload, download, page) against this server. */
        dataTest: v.optional(DataTestSchema),
        /** Arcep's protocol the tests followed (src/domain/protocol.ts); absent: the map check's. */
        protocol: v.optional(v.picklist(PROTOCOLS, `Protocole inconnu : attendu ${PROTOCOLS.join(', ')}`)),
        /** The « Parcours » this point belongs to (made on the device). */
        trackId: v.optional(DeviceUuidSchema),
        /** The campaign the agent had picked (made by the server). */
        campaignId: v.optional(v.pipe(v.string('campaignId doit être un texte'), v.uuid('campaignId doit être un UUID'))),
        communeInsee: v.optional(
          v.pipe(
            v.string('communeInsee doit être un texte'),
            v.regex(INSEE_CODE_PATTERN, 'communeInsee doit être un code INSEE à 5 caractères (ex. 34172, 2A004)'),
          ),
        ),
        extra: v.optional(ExtraSchema),
      },
      // valibot gives a missing key's issue the object's own message: name the missing field.
      (issue) => (issue.path ? missingFieldMessage(v.getDotPath(issue) ?? '') : 'Un relevé doit être un objet JSON'),
    ),
    v.forward(
      v.partialCheck(
        [['technology'], ['signalDbm']],
        (r) => r.technology !== 'none' || r.signalDbm === undefined,
        'Pas de valeur en dBm quand il n’y a aucun réseau',
      ),
      ['signalDbm'],
    ),
    v.forward(
      v.partialCheck(
        [['technology'], ['signalDbm']],
        (r) => r.technology === 'none' || r.signalDbm === undefined || dbmIsPlausible(r.technology, r.signalDbm),
        'Valeur en dBm impossible pour cette technologie',
      ),
      ['signalDbm'],
    ),
    v.forward(
      v.partialCheck(
        [['technology'], ['signalBars']],
        (r) => r.technology !== 'none' || r.signalBars === undefined || r.signalBars === 0,
        'Sans réseau, les barres ne peuvent être que 0',
      ),
      ['signalBars'],
    ),
    v.forward(
      v.partialCheck(
        [['technology'], ['signalBars'], ['signalDbm']],
        (r) => r.technology === 'none' || r.signalBars !== undefined || r.signalDbm !== undefined,
        'Indiquez les barres ou le signal en dBm',
      ),
      ['signalBars'],
    ),
    v.forward(
      v.partialCheck(
        [['voice'], ['callTest']],
        (r) => r.callTest === undefined || (r.voice !== undefined && r.voice !== 'not-tested'),
        `Un test d’appel doit dire comment il s’est passé (${fieldLabel('voice')} : ok, failed ou dropped)`,
      ),
      ['voice'],
    ),
    v.forward(
      v.partialCheck(
        [['sms'], ['smsTest']],
        (r) => r.smsTest === undefined || (r.sms !== undefined && r.sms !== 'not-tested'),
        `Un test de SMS doit dire comment il s’est passé (${fieldLabel('sms')} : ok ou failed)`,
      ),
      ['sms'],
    ),
    v.forward(
      v.partialCheck([['sms'], ['smsTest']], (r) => r.smsTest?.delayS === undefined || r.sms === 'ok', 'Un SMS en échec n’a pas de délai d’arrivée'),
      ['smsTest', 'delayS'],
    ),
  );
}

function dbmIsPlausible(technology: RadioTechnology, dbm: number): boolean {
  const range = PLAUSIBLE_DBM[technology];
  return dbm >= range.min && dbm <= range.max;
}

export const ReadingSchema = createReadingSchema();
export type Reading = v.InferOutput<typeof ReadingSchema>;
export type Source = Reading['source'];

export type ValidationResult = { ok: true; reading: Reading } | { ok: false; errors: FieldError[] };

export function validateReading(input: unknown, schema: ReturnType<typeof createReadingSchema> = ReadingSchema): ValidationResult {
  if (!isJsonObject(input)) return { ok: false, errors: [{ field: '', message: 'Un relevé doit être un objet JSON' }] };
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, reading: result.output };
  return { ok: false, errors: result.issues.map((issue) => ({ field: v.getDotPath(issue) ?? '', message: issue.message })) };
}
