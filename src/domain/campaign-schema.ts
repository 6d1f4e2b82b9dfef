import * as v from 'valibot';
import {
  ACCURACY_RULES,
  DEFAULT_ACCURACY_RULE,
  DEFAULT_CAMPAIGN_MAX_ACCURACY_M,
  daysBetween,
  FIRST_CAMPAIGN_DAY,
  isCalendarDay,
  MAX_CAMPAIGN_ACCURACY_M,
  MAX_CAMPAIGN_AGENTS,
  MAX_CAMPAIGN_DAYS,
  MAX_CAMPAIGN_NAME_LENGTH,
  MIN_CAMPAIGN_ACCURACY_M,
  TEST_NUMBER_PATTERN,
  TOO_EARLY_MESSAGE,
} from './campaign.ts';
import { OPERATORS } from './operators.ts';
import { withoutNul } from './plain-text.ts';
import { PROTOCOLS, PROTOCOL_LABELS } from './protocol.ts';
import { INSEE_CODE_PATTERN } from './reading.ts';

/**
 * The validation of a campaign as a reviewer writes it (campaign.ts: what a campaign is), for
 * the server's routes and the campaign form alike. Apart from campaign.ts, which the survey's
 * first screen reads, because valibot and these schemas are script that screen never runs
 * (issue 19).
 */

const DAY = v.pipe(
  v.string('La date doit être un texte AAAA-MM-JJ'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'La date doit être au format AAAA-MM-JJ'),
  // What the date says is echoed between « », as anything taken from the request.
  v.check(isCalendarDay, (issue) => `« ${String(issue.input)} » n’est pas un jour du calendrier`),
  v.minValue(FIRST_CAMPAIGN_DAY, TOO_EARLY_MESSAGE),
);

const name = v.pipe(
  v.string('Le nom doit être un texte'),
  withoutNul('Le nom'),
  v.trim(),
  v.minLength(1, 'Donnez un nom à la campagne'),
  v.maxLength(MAX_CAMPAIGN_NAME_LENGTH, `Le nom dépasse ${MAX_CAMPAIGN_NAME_LENGTH} caractères`),
);

const operators = v.pipe(
  v.array(v.picklist(OPERATORS, `Opérateur inconnu : attendu ${OPERATORS.join(', ')}`), 'Les opérateurs doivent être une liste'),
  v.minLength(1, 'Choisissez au moins un opérateur à mesurer'),
  v.check((list) => new Set(list).size === list.length, 'Un opérateur est cité deux fois'),
);

const testNumber = v.pipe(
  v.string('Le numéro de test doit être un texte'),
  v.trim(),
  v.regex(TEST_NUMBER_PATTERN, 'Numéro de test invalide : par ex. 06 12 34 56 78, +33 6 12 34 56 78 ou 3179'),
);

const protocol = v.picklist(PROTOCOLS, `Protocole inconnu : attendu ${PROTOCOLS.map((p) => `${p} (${PROTOCOL_LABELS[p]})`).join(' ou ')}`);

const maxAccuracyM = v.pipe(
  v.number('La précision exigée doit être un nombre de mètres'),
  v.integer('La précision exigée doit être un nombre entier de mètres'),
  v.minValue(MIN_CAMPAIGN_ACCURACY_M, `La précision exigée va de ${MIN_CAMPAIGN_ACCURACY_M} à ${MAX_CAMPAIGN_ACCURACY_M} m`),
  v.maxValue(MAX_CAMPAIGN_ACCURACY_M, `La précision exigée va de ${MIN_CAMPAIGN_ACCURACY_M} à ${MAX_CAMPAIGN_ACCURACY_M} m`),
);

const accuracyRule = v.picklist(ACCURACY_RULES, `Règle de précision inconnue : attendu refuse (refuser) ou warn (avertir)`);

const agentIds = v.pipe(
  v.array(
    v.pipe(
      v.string('Un agent se désigne par son identifiant'),
      withoutNul('L’identifiant d’un agent'),
      v.minLength(1, 'L’identifiant d’un agent est vide'),
      v.maxLength(100, 'L’identifiant d’un agent dépasse 100 caractères'),
    ),
    'Les agents doivent être une liste',
  ),
  v.maxLength(MAX_CAMPAIGN_AGENTS, `Au plus ${MAX_CAMPAIGN_AGENTS} agents par campagne`),
);

const periodIsSound = (c: { startsOn?: string; endsOn?: string }) => c.startsOn === undefined || c.endsOn === undefined || c.startsOn <= c.endsOn;
// A malformed day already has its own message: the length check says nothing about it.
const periodIsBounded = (c: { startsOn?: string; endsOn?: string }) =>
  c.startsOn === undefined || c.endsOn === undefined || !(daysBetween(c.startsOn, c.endsOn) > MAX_CAMPAIGN_DAYS);

/** POST /api/v1/campaigns. The commune's name and département come from the commune list. */
export const CampaignDraftSchema = v.pipe(
  v.object(
    {
      name: v.optional(name),
      communeInsee: v.pipe(
        v.string('La commune se désigne par son code INSEE'),
        v.regex(INSEE_CODE_PATTERN, 'Code INSEE invalide (5 caractères, ex. 34172, 2A004)'),
      ),
      startsOn: DAY,
      endsOn: DAY,
      operators,
      testNumber: v.optional(testNumber),
      /** Absent: the deployment's default protocol (DEFAULT_PROTOCOL). */
      protocol: v.optional(protocol),
      maxAccuracyM: v.optional(maxAccuracyM, DEFAULT_CAMPAIGN_MAX_ACCURACY_M),
      accuracyRule: v.optional(accuracyRule, DEFAULT_ACCURACY_RULE),
      agentIds: v.optional(agentIds, []),
    },
    (issue) => (issue.path ? `Champ obligatoire manquant : ${v.getDotPath(issue)}` : 'Une campagne doit être un objet JSON'),
  ),
  v.forward(v.partialCheck([['startsOn'], ['endsOn']], periodIsSound, 'La fin de la campagne précède son début'), ['endsOn']),
  v.forward(v.partialCheck([['startsOn'], ['endsOn']], periodIsBounded, `Une campagne dure au plus ${MAX_CAMPAIGN_DAYS} jours`), ['endsOn']),
);
export type CampaignDraft = v.InferOutput<typeof CampaignDraftSchema>;

/** PATCH /api/v1/campaigns/:id: any of the draft's fields but the commune; `testNumber: null` removes it. */
export const CampaignPatchSchema = v.pipe(
  v.object(
    {
      name: v.optional(name),
      startsOn: v.optional(DAY),
      endsOn: v.optional(DAY),
      operators: v.optional(operators),
      testNumber: v.optional(v.nullable(testNumber)),
      protocol: v.optional(protocol),
      maxAccuracyM: v.optional(maxAccuracyM),
      accuracyRule: v.optional(accuracyRule),
      agentIds: v.optional(agentIds),
    },
    'Une modification de campagne doit être un objet JSON',
  ),
  v.check((patch) => Object.values(patch).some((value) => value !== undefined), 'Rien à modifier'),
);
export type CampaignPatch = v.InferOutput<typeof CampaignPatchSchema>;
