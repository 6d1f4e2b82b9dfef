import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  SuggestionsAnswerSchema,
  ZONE_DRAFT_FIELDS,
  ZONE_PATCH_FIELDS,
  type ZoneAnswer,
  ZoneAnswerSchema,
  ZonePatchSchema,
  ZonesAnswerSchema,
} from '../../domain/api/index.ts';
import { cellCover, type CellCover } from '../../domain/grid/cell-cover.ts';
import { parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { suggestZones } from '../../domain/grid/zone-suggestion.ts';
import { discrepantOperators } from '../../domain/grid/declared-level.ts';
import { applyFollowUpPatch, compareByDeadline, type ZoneFollowUpFields, type ZoneFollowUpPatch } from '../../domain/zone-follow-up.ts';
import {
  canMoveZone,
  isOpenZone,
  nextStatuses,
  ZONE_STATUS_LABELS,
  ZoneDraftSchema,
  ZoneMoveSchema,
  type Zone,
  type ZoneDraft,
  type ZoneHistoryEntry,
} from '../../domain/zone.ts';
import { actorOf, type Accounts } from '../accounts.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { gridScope, mayManageZone, zoneDepartement } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { cellsByDepartement } from '../grid/cell-departements.ts';
import { declaredInCells } from '../grid/declared-coverage.ts';
import { peopleInCells, peopleInZone, pointsOfInterestInCells } from '../grid/cell-people.ts';
import { registerRemeasureRoute } from './zone-remeasure.ts';
import { sumPeople } from '../../domain/population.ts';
import { judgeInBbox, loadGrid, MAX_CELLS_PER_REQUEST, verdictOptions } from '../grid/coverage.ts';
import { cellRange } from '../../domain/grid/cell-range.ts';
import type { User } from '../storage/account-store.ts';
import type { GridScope } from '../storage/grid-store.ts';
import type { Store } from '../storage/store.ts';
import { storedFollowUp, ZoneOverlapError, type NewZone, type ZoneChanges, type ZoneOverlap } from '../storage/zone-store.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import { answer } from './answer.ts';
import { tooManyCells } from './cells.ts';
import { GRID_PARAMS, parseGridView } from './grid-params.ts';
import { departementQuery, singleValued } from './query.ts';
import { objectBody, parseBody } from './request-body.ts';

export interface ZoneRoutesOptions {
  store: Store;
  communes: Communes;
  accounts: Accounts;
  grid: GridSettings;
  now: () => number;
}

const DRAFT_FIELDS = ZONE_DRAFT_FIELDS;

export const ZONE_NOT_FOUND = 'Aucune zone ne porte cet identifiant';
export const ZONE_OUT_OF_SCOPE = 'Cette zone est hors de votre département';

/** A zone's draft: an object with only the draft's fields, checked by `schema`. */
const DRAFT_RULES = {
  notObject: 'Le corps doit être un objet JSON : {"name": …, "cells": [ … ], "need": …, "needDetail"?: …, "notes"?: …}',
  accepted: DRAFT_FIELDS,
} as const;
/** A patch: the draft's fields and the follow-up after the arrêté. */
const PATCH_RULES = {
  notObject:
    'Le corps doit être un objet JSON : {"name"?, "cells"?, "need"?, "needDetail"?, "notes"?, "followUp"?: {"arreteDate"?, "arreteReference"?, "leaderOperator"?, "servicedPlot"?, "inServiceDate"?}}',
  accepted: ZONE_PATCH_FIELDS,
} as const;

/** How GET /api/v1/zones may order the list (default: oldest first). */
const ZONE_SORTS = ['deadline', 'people'] as const;

/** The cells as grid references: canonical ids, one resolution (a multiple of 200 m), no repeats; sorted. Else HttpError 400. */
export function checkCells(ids: readonly string[]): { cells: string[]; refs: CellRef[] } {
  const unique = [...new Set(ids)].sort();
  const refs: CellRef[] = [];
  for (const id of unique) {
    const ref = parseCellId(id);
    if (!ref || ref.resolutionM % 200 !== 0)
      throw badRequest(`Maille inconnue : « ${id} » ; attendu un identifiant INSPIRE de maille de 200 m ou d’un multiple.`);
    if (refs.length > 0 && ref.resolutionM !== refs[0]?.resolutionM) throw badRequest('Toutes les mailles d’une zone doivent avoir la même taille.');
    refs.push(ref);
  }
  return { cells: unique, refs };
}

/** Cells named in a message before « et N autres ». */
const CELLS_NAMED = 3;

function cellList(ids: readonly string[]): string {
  const named = ids
    .slice(0, CELLS_NAMED)
    .map((id) => `« ${id} »`)
    .join(', ');
  return ids.length > CELLS_NAMED ? `${named} et ${ids.length - CELLS_NAMED} autres` : named;
}

/**
 * Refuses cells outside the zone's département (403: not the reviewer's to file), or that
 * nothing places (400); returns when every cell is in it. See cell-departements.ts.
 */
async function refuseCellsOutside(store: Store, communes: Communes, departement: string, refs: readonly CellRef[]): Promise<void> {
  const { outside, unplaced } = await cellsByDepartement(departement, refs, store, communes);
  const where = `département ${departement} (${communes.departementName(departement) ?? departement})`;
  if (outside.length > 0) {
    const count = outside.length === 1 ? '1 maille est hors' : `${outside.length} mailles sont hors`;
    throw new HttpError(403, `${count} du ${where} : ${cellList(outside)}. Une zone ne réunit que des mailles de son département.`);
  }
  if (unplaced.length > 0) {
    const one = unplaced.length === 1;
    throw badRequest(
      `Impossible de situer ${one ? '1 maille' : `${unplaced.length} mailles`} dans le ${where} : ${cellList(unplaced)}. ` +
        `Aucun relevé n’y est classé et ${one ? 'sa position n’est' : 'leur position n’est'} dans aucun département connu du serveur ; ${one ? 'elle est refusée' : 'elles sont refusées'}.`,
    );
  }
}

/**
 * The 409 for cells another open zone of the département already holds: which zone (name,
 * id, step) and which cells, and what to do instead.
 */
export function overlapMessage({ zone, cells }: ZoneOverlap): string {
  const one = cells.length === 1;
  return (
    `${one ? 'Cette maille est déjà' : 'Ces mailles sont déjà'} dans la zone « ${zone.name} » (n° ${zone.id}, ${ZONE_STATUS_LABELS[zone.status]}) : ${cellList(cells)}. ` +
    `Une maille n’est que dans une zone en cours : retirez-${one ? 'la' : 'les'} de votre sélection, ou modifiez d’abord cette zone-là (ou écartez-la).`
  );
}

/** Runs a store write that may find the cells taken: then the 409 saying by which zone. */
async function unlessOverlap<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ZoneOverlapError) throw new HttpError(409, overlapMessage(error.overlap));
    throw error;
  }
}

/** The cells of the open zones the scope sees (its départements', or every one). */
async function openZoneCover(store: Store, scope: GridScope): Promise<CellCover<string>> {
  const zones = scope.kind === 'all' ? await store.listZones() : (await Promise.all(scope.departements.map((d) => store.listZones(d)))).flat();
  return cellCover(
    zones
      .filter((zone) => isOpenZone(zone.status))
      .flatMap((zone) =>
        zone.cells.flatMap((id) => {
          const ref = parseCellId(id);
          return ref ? [[ref, zone.id] as const] : [];
        }),
      ),
  );
}

/** INSEE codes of the zone's communes: those of its cells' readings, of its département only (a border cell holds the neighbour's too). */
async function zoneCommunes(store: Store, communes: Communes, departement: string, refs: readonly CellRef[]): Promise<string[]> {
  return (await store.communesInCells(refs)).filter((code) => communes.get(code)?.departement === departement);
}

function refuseVagueNeed(draft: Pick<ZoneDraft, 'need' | 'needDetail'>): void {
  if (draft.need === 'autre' && !draft.needDetail?.trim()) throw badRequest('Précisez le besoin (« needDetail ») quand il est « autre »');
}

/** The zone as the API answers it: as stored, with the people and points of interest in its cells. */
export async function zoneAnswer(store: Store, zone: Zone): Promise<ZoneAnswer> {
  const refs = zone.cells.flatMap((id) => parseCellId(id) ?? []);
  const [people, pointsOfInterest] = await Promise.all([peopleInZone(store, refs), pointsOfInterestInCells(store, refs)]);
  return { ...zone, people, pointsOfInterest };
}

/**
 * The follow-up after a patch, refused (400) when it breaks what the zone's step needs: a zone
 * `arretee` or `couverte` keeps its arrêté's date, a `couverte` one its date of service; no
 * date lies ahead of today, and a site is not in service before its arrêté.
 */
export function checkedFollowUp(status: Zone['status'], fields: ZoneFollowUpFields, patch: ZoneFollowUpPatch, today: string): ZoneFollowUpFields {
  const next = applyFollowUpPatch(fields, patch);
  if ((status === 'arretee' || status === 'couverte') && next.arreteDate === undefined) {
    throw badRequest(`Une zone à l’étape « ${ZONE_STATUS_LABELS[status]} » garde la date de son arrêté (followUp.arreteDate, AAAA-MM-JJ).`);
  }
  if (status === 'couverte' && next.inServiceDate === undefined) {
    throw badRequest('Une zone couverte garde la date de mise en service de son site (followUp.inServiceDate, AAAA-MM-JJ).');
  }
  if (next.arreteDate !== undefined && next.arreteDate > today)
    throw badRequest(`La date de l’arrêté (${next.arreteDate}) est à venir : donnez la date de sa publication, au plus aujourd’hui (${today}).`);
  if (next.inServiceDate !== undefined && next.inServiceDate > today)
    throw badRequest(`La date de mise en service (${next.inServiceDate}) est à venir : au plus aujourd’hui (${today}).`);
  if (next.inServiceDate !== undefined && next.arreteDate !== undefined && next.inServiceDate < next.arreteDate) {
    throw badRequest(`Le site ne peut pas être en service (${next.inServiceDate}) avant l’arrêté (${next.arreteDate}).`);
  }
  return next;
}

/** What a move needs beyond the workflow's order: the arrêté's date to become `arretee`, the date of service to become `couverte`. */
function refuseMoveWithoutDates(to: Zone['status'], followUp: ZoneFollowUpFields): void {
  if (to === 'arretee' && followUp.arreteDate === undefined) {
    throw badRequest(
      'Pour passer la zone à l’étape « Arrêtée », donnez la date de l’arrêté : {"status": "arretee", "reason": "…", "followUp": {"arreteDate": "AAAA-MM-JJ"}}.',
    );
  }
  if (to === 'couverte' && followUp.inServiceDate === undefined) {
    throw badRequest(
      'Pour passer la zone à l’étape « Couverte », donnez la date de mise en service du site : {"status": "couverte", "reason": "…", "followUp": {"inServiceDate": "AAAA-MM-JJ"}}.',
    );
  }
}

/** The zone if the caller may see it; else HttpError 404 or 403. */
export async function zoneInScope(store: Store, id: string, user: User): Promise<Zone> {
  const zone = await store.zoneById(id);
  if (!zone) throw new HttpError(404, ZONE_NOT_FOUND);
  if (!mayManageZone(user, zone)) throw new HttpError(403, ZONE_OUT_OF_SCOPE);
  return zone;
}

/** Candidate zones: CRUD within a département, the workflow, suggestions. */
export function registerZoneRoutes(app: FastifyInstance, { store, communes, accounts, grid, now }: ZoneRoutesOptions): void {
  const options = verdictOptions(grid);
  const iso = () => new Date(now()).toISOString();
  const today = () => iso().slice(0, 10);
  const by = (user: User) => ({ id: user.id, name: user.name });

  const zoneFor = (id: string, user: User) => zoneInScope(store, id, user);
  /** The zone as the API returns it; HttpError 404 when it is gone. */
  const found = async (zone: Zone | undefined) => {
    if (!zone) throw new HttpError(404, ZONE_NOT_FOUND);
    return answer(ZoneAnswerSchema, await zoneAnswer(store, zone));
  };

  app.get('/api/v1/zones', async (request) => {
    const { sort, ...rest } = request.query as Record<string, string | string[]>;
    if (sort !== undefined && (typeof sort !== 'string' || !(ZONE_SORTS as readonly string[]).includes(sort))) {
      throw badRequest(`sort=« ${String(sort)} » : attendu ${ZONE_SORTS.join(' ou ')} (par défaut, les plus anciennes d’abord).`);
    }
    const query = departementQuery(rest);
    const scope = zoneDepartement(requirePrincipal(request).user, query.departement, false);
    const zones: ZoneAnswer[] = [];
    for (const zone of await store.listZones(scope.departement)) zones.push(await zoneAnswer(store, zone));
    // Array.sort is stable: equal zones keep their order, oldest first.
    if (sort === 'deadline') zones.sort(compareByDeadline(today()));
    if (sort === 'people') zones.sort((a, b) => (b.people?.inhabitants ?? -1) - (a.people?.inhabitants ?? -1));
    return answer(ZonesAnswerSchema, { zones });
  });

  app.post('/api/v1/zones', async (request, reply) => {
    const user = requirePrincipal(request).user;
    const query = departementQuery(request.query);
    const departement = zoneDepartement(user, query.departement, true).departement;
    if (departement === undefined || !communes.departementName(departement)) throw badRequest(`Département inconnu : « ${departement} »`);

    const draft = parseBody(request.body, ZoneDraftSchema, DRAFT_RULES);
    refuseVagueNeed(draft);
    const cells = checkCells(draft.cells);
    await refuseCellsOutside(store, communes, departement, cells.refs);

    const at = iso();
    const zone: NewZone = {
      id: randomUUID(),
      departement,
      name: draft.name,
      cells: cells.cells,
      need: draft.need,
      ...(draft.needDetail !== undefined && { needDetail: draft.needDetail }),
      ...(draft.notes !== undefined && { notes: draft.notes }),
      communes: await zoneCommunes(store, communes, departement, cells.refs),
      status: 'a-etudier',
      createdAt: at,
      updatedAt: at,
    };
    await unlessOverlap(() => store.createZone(zone, { at, by: by(user), from: null, to: 'a-etudier', reason: 'Zone créée' }));
    await accounts.audit(actorOf(user), 'zone.create', 'zone', zone.id, {
      name: zone.name,
      departement,
      cells: zone.cells.length,
      need: zone.need,
    });
    return reply.code(201).send(await found(await store.zoneById(zone.id)));
  });

  app.get('/api/v1/zones/suggestions', async (request) => {
    const view = parseGridView(singleValued(request.query, GRID_PARAMS));
    const range = cellRange(view.bbox, view.resolutionM);
    if (!range) return answer(SuggestionsAnswerSchema, { suggestions: [] });
    if (range.cells > MAX_CELLS_PER_REQUEST) throw badRequest(tooManyCells(view, range.cells));
    const scope = gridScope(requirePrincipal(request).user, (code) => communes.get(code)?.departement);
    const coverage = await loadGrid(store, {
      range,
      scope,
      filter: view.filter,
      ...(view.fromMonth && { fromMonth: view.fromMonth }),
      ...(view.toMonth && { toMonth: view.toMonth }),
    });
    // Cells an open zone already holds are filed: a suggestion never offers them again.
    const filed = await openZoneCover(store, scope);
    const unfiled = judgeInBbox(coverage, view.filter, options, view.bbox).filter((cell) => filed.find(cell.ref) === undefined);
    const people = await peopleInCells(
      store,
      unfiled.map((cell) => cell.ref),
    );
    const peopleOf = new Map(unfiled.map((cell, i) => [cell.cell, people[i] ?? null]));
    const declared = await declaredInCells(
      store,
      unfiled.map((cell) => cell.ref),
      view.filter,
    );
    const contested = new Set(unfiled.filter((cell, i) => discrepantOperators(declared[i] ?? {}, cell.verdict.operators).length > 0).map((cell) => cell.cell));
    const suggestions = suggestZones(unfiled).map((suggested) => ({
      ...suggested,
      zone: suggested.grise === 0 ? ('zone-blanche' as const) : suggested.blanche === 0 ? ('zone-grise' as const) : ('mixte' as const),
      people: sumPeople(suggested.cells.map((id) => peopleOf.get(id) ?? null)),
      discrepantCells: suggested.cells.filter((id) => contested.has(id)).length,
    }));
    return answer(SuggestionsAnswerSchema, { suggestions });
  });

  app.get<{ Params: { id: string } }>('/api/v1/zones/:id', async (request) => found(await zoneFor(request.params.id, requirePrincipal(request).user)));

  app.patch<{ Params: { id: string } }>('/api/v1/zones/:id', async (request) => {
    const user = requirePrincipal(request).user;
    const body = objectBody(request.body, PATCH_RULES.notObject);
    if (Object.keys(body).length === 0) throw badRequest(`Rien à changer : envoyez au moins un champ parmi ${ZONE_PATCH_FIELDS.join(', ')}.`);
    const patch = parseBody(body, ZonePatchSchema, PATCH_RULES);
    const zone = await zoneFor(request.params.id, user);
    refuseVagueNeed({ need: patch.need ?? zone.need, needDetail: patch.needDetail ?? zone.needDetail });

    const changes: ZoneChanges = { updatedAt: iso() };
    for (const key of ['name', 'need', 'needDetail', 'notes'] as const) if (patch[key] !== undefined) Object.assign(changes, { [key]: patch[key] });
    if (patch.followUp !== undefined) changes.followUp = checkedFollowUp(zone.status, storedFollowUp(zone.followUp), patch.followUp, today());
    if (patch.cells !== undefined) {
      const cells = checkCells(patch.cells);
      await refuseCellsOutside(store, communes, zone.departement, cells.refs);
      changes.cells = cells.cells;
      changes.communes = await zoneCommunes(store, communes, zone.departement, cells.refs);
    }
    const updated = await unlessOverlap(() => store.updateZone(zone.id, changes));
    if (!updated) throw new HttpError(404, ZONE_NOT_FOUND);
    const { updatedAt: _, cells, communes: touched, ...shown } = changes;
    await accounts.audit(actorOf(user), 'zone.update', 'zone', zone.id, {
      ...shown,
      ...(cells && { cells: cells.length, communes: touched }),
    });
    return found(updated);
  });

  app.post<{ Params: { id: string } }>('/api/v1/zones/:id/status', async (request) => {
    const user = requirePrincipal(request).user;
    const move = parseBody(request.body, ZoneMoveSchema, {
      notObject: 'Le corps doit être un objet JSON : {"status": "retenue", "reason": "…", "followUp"?: {"arreteDate"?, "inServiceDate"?, …}}',
    });
    const zone = await zoneFor(request.params.id, user);
    if (!canMoveZone(zone.status, move.status)) throw new HttpError(409, refusedMove(zone, move.status));
    const stored = storedFollowUp(zone.followUp);
    refuseMoveWithoutDates(move.status, move.followUp ? applyFollowUpPatch(stored, move.followUp) : stored);
    const followUp = move.followUp ? checkedFollowUp(move.status, stored, move.followUp, today()) : stored;
    const entry: ZoneHistoryEntry & { from: Zone['status'] } = { at: iso(), by: by(user), from: zone.status, to: move.status, reason: move.reason };
    if (!(await store.moveZone(zone.id, entry))) {
      // Another reviewer moved it in between: say where it stands now.
      const current = (await store.zoneById(zone.id)) ?? zone;
      throw new HttpError(409, refusedMove(current, move.status));
    }
    // After the move (which another reviewer's may beat): the dates it came with.
    if (move.followUp) await store.updateZone(zone.id, { followUp, updatedAt: entry.at });
    await accounts.audit(actorOf(user), 'zone.status', 'zone', zone.id, {
      from: zone.status,
      to: move.status,
      reason: move.reason,
      ...(move.followUp && { followUp: move.followUp }),
    });
    return found(await store.zoneById(zone.id));
  });

  registerRemeasureRoute(app, { store, communes, now });
}

/** Why a move is refused, and what the zone may do instead. */
export function refusedMove(zone: Pick<Zone, 'status'>, to: Zone['status']): string {
  const label = (status: Zone['status']) => `« ${ZONE_STATUS_LABELS[status]} »`;
  const allowed = nextStatuses(zone.status);
  const next =
    allowed.length === 0
      ? `aucune étape ne suit ${label(zone.status)}`
      : `étapes possibles depuis ${label(zone.status)} : ${allowed.map((status) => `${label(status)} (${status})`).join(', ')}`;
  if (zone.status === to) return `La zone est déjà à l’étape ${label(to)} ; ${next}.`;
  return `Une zone à l’étape ${label(zone.status)} ne peut pas passer à ${label(to)} ; ${next}.`;
}
