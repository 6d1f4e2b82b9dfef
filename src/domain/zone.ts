import * as v from 'valibot';
import { withoutNul } from './plain-text.ts';
import { ZoneFollowUpPatchSchema, type ZoneFollowUp } from './zone-follow-up.ts';

/**
 * A candidate zone for the New Deal Mobile targeted-coverage scheme: cells of the coverage
 * grid grouped by a reviewer, with the need they serve and where the proposal stands.
 */

export const ZONE_NEEDS = ['habitations', 'axe-routier', 'site-touristique', 'activite-economique', 'services-publics', 'autre'] as const;
export type ZoneNeed = (typeof ZONE_NEEDS)[number];
export const ZONE_NEED_LABELS: Record<ZoneNeed, string> = {
  habitations: 'Habitations',
  'axe-routier': 'Axe routier',
  'site-touristique': 'Site touristique',
  'activite-economique': 'Activité économique',
  'services-publics': 'Services publics',
  autre: 'Autre',
};

export const ZONE_STATUSES = ['a-etudier', 'retenue', 'transmise', 'arretee', 'couverte', 'ecartee'] as const;
export type ZoneStatus = (typeof ZONE_STATUSES)[number];
export const ZONE_STATUS_LABELS: Record<ZoneStatus, string> = {
  'a-etudier': 'À étudier',
  retenue: 'Retenue',
  transmise: 'Transmise',
  arretee: 'Arrêtée',
  couverte: 'Couverte',
  ecartee: 'Écartée',
};

/**
 * The proposal's path: studied, kept by the département, sent to the State, listed in a
 * ministerial order, then covered once the mast is on air. Any open step may be set aside,
 * and a zone set aside may be reopened for study. Covered is final.
 */
const NEXT_STATUSES: Record<ZoneStatus, readonly ZoneStatus[]> = {
  'a-etudier': ['retenue', 'ecartee'],
  retenue: ['transmise', 'a-etudier', 'ecartee'],
  transmise: ['arretee', 'ecartee'],
  arretee: ['couverte', 'ecartee'],
  couverte: [],
  ecartee: ['a-etudier'],
};

/**
 * Zones still in play: their cells are spoken for, and another zone of the département may not
 * take them (409). A zone set aside or covered gives its cells back.
 */
export const OPEN_ZONE_STATUSES: readonly ZoneStatus[] = ZONE_STATUSES.filter((status) => status !== 'ecartee' && status !== 'couverte');

export function isOpenZone(status: ZoneStatus): boolean {
  return OPEN_ZONE_STATUSES.includes(status);
}

export function nextStatuses(from: ZoneStatus): readonly ZoneStatus[] {
  return NEXT_STATUSES[from];
}

export function canMoveZone(from: ZoneStatus, to: ZoneStatus): boolean {
  return NEXT_STATUSES[from].includes(to);
}

export const MAX_ZONE_CELLS = 5000;
export const MAX_ZONE_NAME_LENGTH = 120;
export const MAX_ZONE_NOTES_LENGTH = 2000;

const CELL_ID_PATTERN = /^CRS3035RES\d+mN\d+E\d+$/;

/** What a reviewer sends to create a zone (POST /api/v1/zones). */
export const ZoneDraftSchema = v.object(
  {
    name: v.pipe(
      v.string('Le nom doit être un texte'),
      withoutNul('Le nom'),
      v.trim(),
      v.minLength(1, 'Donnez un nom à la zone'),
      v.maxLength(MAX_ZONE_NAME_LENGTH, `Le nom dépasse ${MAX_ZONE_NAME_LENGTH} caractères`),
    ),
    cells: v.pipe(
      v.array(
        v.pipe(
          v.string('Identifiant de maille attendu'),
          v.regex(CELL_ID_PATTERN, 'Identifiant de maille INSPIRE invalide (ex. CRS3035RES200mN2029800E4252000)'),
        ),
        'cells doit être une liste de mailles',
      ),
      v.minLength(1, 'Une zone contient au moins une maille'),
      v.maxLength(MAX_ZONE_CELLS, `Une zone contient au plus ${MAX_ZONE_CELLS} mailles`),
    ),
    need: v.picklist(ZONE_NEEDS, `Besoin inconnu : attendu ${ZONE_NEEDS.join(', ')}`),
    /** Required when the need is `autre`: which need. */
    needDetail: v.optional(v.pipe(v.string('Le besoin doit être un texte'), withoutNul('Le besoin'), v.maxLength(200, 'Le besoin dépasse 200 caractères'))),
    notes: v.optional(
      v.pipe(
        v.string('Les notes doivent être un texte'),
        withoutNul('Les notes'),
        v.maxLength(MAX_ZONE_NOTES_LENGTH, `Les notes dépassent ${MAX_ZONE_NOTES_LENGTH} caractères`),
      ),
    ),
  },
  missingField('Une zone doit être un objet JSON'),
);
export type ZoneDraft = v.InferOutput<typeof ZoneDraftSchema>;

/**
 * A move along the workflow (POST /api/v1/zones/:id/status): always with a reason. A move to
 * `arretee` needs the arrêté's date, a move to `couverte` the date the site entered service:
 * sent here in `followUp` unless the zone already has them (zone-follow-up.ts).
 */
export const ZoneMoveSchema = v.object(
  {
    status: v.picklist(ZONE_STATUSES, `Étape inconnue : attendu ${ZONE_STATUSES.join(', ')}`),
    reason: v.pipe(
      v.string('La raison doit être un texte'),
      withoutNul('La raison'),
      v.trim(),
      v.minLength(1, 'Dites pourquoi la zone change d’étape'),
      v.maxLength(1000, 'La raison dépasse 1000 caractères'),
    ),
    followUp: v.optional(ZoneFollowUpPatchSchema),
  },
  missingField('Le changement d’étape doit être un objet JSON'),
);

/** Without it, valibot answers a missing field in English (« Invalid key: Expected "reason" … »). */
function missingField(notAnObject: string): (issue: v.ObjectIssue) => string {
  return (issue) => (issue.path ? `Champ obligatoire manquant : ${v.getDotPath(issue)}` : notAnObject);
}
export type ZoneMove = v.InferOutput<typeof ZoneMoveSchema>;

export interface ZoneHistoryEntry {
  at: string;
  by: { id: string; name: string };
  from: ZoneStatus | null;
  to: ZoneStatus;
  reason: string;
}

/** A zone as the API returns it. */
export interface Zone extends ZoneDraft {
  id: string;
  departement: string;
  /** INSEE codes of the communes its cells' readings were placed in. */
  communes: string[];
  status: ZoneStatus;
  createdAt: string;
  updatedAt: string;
  history: ZoneHistoryEntry[];
  /** After the arrêté: its date, reference, leader operator, deadline, site in service. */
  followUp: ZoneFollowUp;
}
