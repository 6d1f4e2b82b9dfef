import * as v from 'valibot';
import type { CommuneRef } from '../../domain/account.ts';
import { DEFAULT_ACCURACY_RULE, DEFAULT_CAMPAIGN_MAX_ACCURACY_M, defaultCampaignName, type AccuracyRule, type Campaign } from '../../domain/campaign.ts';
import { CampaignDraftSchema, type CampaignDraft, type CampaignPatch } from '../../domain/campaign-schema.ts';
import { OPERATORS, type Operator } from '../../domain/operators.ts';
import { DEFAULT_PROTOCOL, type Protocol } from '../../domain/protocol.ts';
import { addDays } from './campaign-calendar.ts';

/** What the campaign form holds, as typed; checked with the shared schema before it leaves. */
export interface CampaignFormValue {
  commune?: CommuneRef;
  name: string;
  startsOn: string;
  endsOn: string;
  operators: Operator[];
  testNumber: string;
  protocol: Protocol;
  /** As typed: metres. */
  maxAccuracyM: string;
  accuracyRule: AccuracyRule;
  agentIds: string[];
}

export const CAMPAIGN_FIELDS = [
  'communeInsee',
  'name',
  'startsOn',
  'endsOn',
  'operators',
  'testNumber',
  'protocol',
  'maxAccuracyM',
  'accuracyRule',
  'agentIds',
] as const;
export type CampaignField = (typeof CAMPAIGN_FIELDS)[number];
/** Messages by field; `form` holds what belongs to no single field. */
export type FieldErrors = Partial<Record<CampaignField | 'form', string>>;

/** A new campaign: from today for four weeks, all four operators, the deployment's protocol, 50 m with a warning. */
export function emptyCampaignForm(today: string, commune?: CommuneRef, protocol: Protocol = DEFAULT_PROTOCOL): CampaignFormValue {
  return {
    ...(commune && { commune }),
    name: commune ? defaultCampaignName(commune.name) : '',
    startsOn: today,
    endsOn: addDays(today, 27),
    operators: [...OPERATORS],
    testNumber: '',
    protocol,
    maxAccuracyM: String(DEFAULT_CAMPAIGN_MAX_ACCURACY_M),
    accuracyRule: DEFAULT_ACCURACY_RULE,
    agentIds: [],
  };
}

export function campaignFormOf(campaign: Campaign): CampaignFormValue {
  return {
    commune: { code: campaign.communeInsee, name: campaign.communeName, departement: campaign.departement },
    name: campaign.name,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    operators: [...campaign.operators],
    testNumber: campaign.testNumber ?? '',
    protocol: campaign.protocol,
    maxAccuracyM: String(campaign.maxAccuracyM),
    accuracyRule: campaign.accuracyRule,
    agentIds: [...campaign.agentIds],
  };
}

/**
 * Picking another commune renames the campaign after it, unless the name was typed by hand
 * (i.e. it is neither empty nor the previous commune's default name).
 */
export function withCommune(value: CampaignFormValue, commune: CommuneRef | undefined): CampaignFormValue {
  const nameWasDefault = value.name.trim() === '' || (value.commune !== undefined && value.name === defaultCampaignName(value.commune.name));
  const { commune: _previous, ...rest } = value;
  return {
    ...rest,
    ...(commune && { commune }),
    name: nameWasDefault ? (commune ? defaultCampaignName(commune.name) : '') : value.name,
    // Agents belong to communes: those picked for another commune may not be allowed here.
    agentIds: commune?.code === value.commune?.code ? value.agentIds : [],
  };
}

/** The form as the API takes it (before validation: a missing commune stays missing). */
export function draftOf(value: CampaignFormValue): Record<string, unknown> {
  const name = value.name.trim();
  const testNumber = value.testNumber.trim();
  const accuracy = value.maxAccuracyM.trim().replace(',', '.');
  return {
    communeInsee: value.commune?.code,
    ...(name && { name }),
    startsOn: value.startsOn,
    endsOn: value.endsOn,
    // In the order the app lists operators, whatever the order they were ticked in.
    operators: OPERATORS.filter((operator) => value.operators.includes(operator)),
    ...(testNumber && { testNumber }),
    protocol: value.protocol,
    // Text that is no number goes as typed, so that the schema's message names the fault.
    ...(accuracy && { maxAccuracyM: Number.isFinite(Number(accuracy)) ? Number(accuracy) : accuracy }),
    accuracyRule: value.accuracyRule,
    agentIds: value.agentIds,
  };
}

export type Checked = { ok: true; draft: CampaignDraft } | { ok: false; errors: FieldErrors };

/** The shared schema's verdict, one message per field (the first one found). */
export function checkCampaignForm(value: CampaignFormValue): Checked {
  if (!value.commune) {
    const rest = checkCampaignForm({ ...value, commune: { code: '00000', name: '', departement: '' } });
    return { ok: false, errors: { ...(rest.ok ? {} : rest.errors), communeInsee: 'Choisissez la commune de la campagne' } };
  }
  const result = v.safeParse(CampaignDraftSchema, draftOf(value));
  if (result.success) return { ok: true, draft: result.output };
  const errors: FieldErrors = {};
  for (const issue of result.issues) {
    const key = issue.path?.[0]?.key;
    const field = CAMPAIGN_FIELDS.find((candidate) => candidate === key) ?? 'form';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/**
 * What changed between a campaign and its edited draft, as a PATCH body (the commune cannot
 * change). A test number emptied is removed with `null`. Undefined when nothing changed.
 */
export function patchOf(campaign: Campaign, draft: CampaignDraft): CampaignPatch | undefined {
  const patch: CampaignPatch = {};
  if (draft.name !== undefined && draft.name !== campaign.name) patch.name = draft.name;
  if (draft.startsOn !== campaign.startsOn) patch.startsOn = draft.startsOn;
  if (draft.endsOn !== campaign.endsOn) patch.endsOn = draft.endsOn;
  if (!sameSet(draft.operators, campaign.operators)) patch.operators = draft.operators;
  if ((draft.testNumber ?? null) !== (campaign.testNumber ?? null)) patch.testNumber = draft.testNumber ?? null;
  if (draft.protocol !== undefined && draft.protocol !== campaign.protocol) patch.protocol = draft.protocol;
  if (draft.maxAccuracyM !== campaign.maxAccuracyM) patch.maxAccuracyM = draft.maxAccuracyM;
  if (draft.accuracyRule !== campaign.accuracyRule) patch.accuracyRule = draft.accuracyRule;
  if (!sameSet(draft.agentIds, campaign.agentIds)) patch.agentIds = draft.agentIds;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  const set = new Set(b);
  return a.length === b.length && a.every((item) => set.has(item));
}

/** Words that tie a server message to a field, for messages that do not start with the field's name. */
const FIELD_WORDS: [CampaignField, RegExp][] = [
  // Before « commune »: « n’est pas un agent communal », « ajoutez d’abord cette commune à son compte ».
  ['agentIds', /agent|compte/i],
  ['communeInsee', /commune|insee|département/i],
  ['testNumber', /numéro|téléphone/i],
  ['protocol', /protocole/i],
  ['maxAccuracyM', /précision/i],
  ['operators', /opérateur/i],
  ['endsOn', /\bfin\b|dure|jours/i],
  ['startsOn', /début|date/i],
  ['name', /\bnom\b/i],
];

/**
 * Where to show a message the server sent back: beside the field it names (« endsOn : … »,
 * or a word such as « opérateur »), else above the form.
 */
export function fieldOfServerMessage(message: string): CampaignField | 'form' {
  const prefix = /^([A-Za-z]+)(?:\.\S*)?\s*:/.exec(message)?.[1];
  const named = CAMPAIGN_FIELDS.find((field) => field === prefix);
  if (named) return named;
  return FIELD_WORDS.find(([, words]) => words.test(message))?.[0] ?? 'form';
}
