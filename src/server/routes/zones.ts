import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import * as v from 'valibot';
import { cellCover, type CellCover } from '../../domain/grid/cell-cover.ts';
import { parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { suggestZones } from '../../domain/grid/zone-suggestion.ts';
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
import { gridScope, mayManageZone, zoneDepartement } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { cellsByDepartement } from '../grid/cell-departements.ts';
import { cellRange, judgeInBbox, loadGrid, MAX_CELLS_PER_REQUEST, verdictOptions } from '../grid/coverage.ts';
import type { User } from '../storage/account-store.ts';
import type { GridScope } from '../storage/grid-store.ts';
import type { Store } from '../storage/store.ts';
import { ZoneOverlapError, type ZoneChanges, type ZoneOverlap } from '../storage/zone-store.ts';
import { parsed, tooManyCells } from './cells.ts';
import { GRID_PARAMS, parseGridView } from './grid-params.ts';
import { departementQuery, singleValued } from './query.ts';

export interface ZoneRoutesOptions {
  store: Store;
  communes: Communes;
  accounts: Accounts;
  grid: GridSettings;
  now: () => number;
}

const DRAFT_FIELDS = ['name', 'cells', 'need', 'needDetail', 'notes'] as const;
const ZonePatchSchema = v.partial(ZoneDraftSchema);

export const ZONE_NOT_FOUND = 'Aucune zone ne porte cet identifiant';
export const ZONE_OUT_OF_SCOPE = 'Cette zone est hors de votre département';

/** The first message of each field valibot complains about, joined. */
export function issuesMessage(issues: readonly v.BaseIssue<unknown>[]): string {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const issue of issues) {
    const path = v.getDotPath(issue) ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    messages.push(path && !issue.message.includes(path) ? `${path} : ${issue.message}` : issue.message);
  }
  return messages.join(' ; ');
}

/** The body as an object with only known fields, or the 400 to answer. */
function draftBody(body: unknown): Record<string, unknown> | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Le corps doit être un objet JSON : {"name": …, "cells": [ … ], "need": …, "needDetail"?: …, "notes"?: …}';
  }
  const unknown = Object.keys(body).filter((key) => !(DRAFT_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) return `Champ inconnu : ${unknown.map((k) => `« ${k} »`).join(', ')}. Champs acceptés : ${DRAFT_FIELDS.join(', ')}.`;
  return body as Record<string, unknown>;
}

/** The cells as grid references: canonical ids, one resolution (a multiple of 200 m), no repeats; sorted. */
export function checkCells(ids: readonly string[]): { cells: string[]; refs: CellRef[] } | string {
  const unique = [...new Set(ids)].sort();
  const refs: CellRef[] = [];
  for (const id of unique) {
    const ref = parseCellId(id);
    if (!ref || ref.resolutionM % 200 !== 0) return `Maille inconnue : « ${id} » ; attendu un identifiant INSPIRE de maille de 200 m ou d’un multiple.`;
    if (refs.length > 0 && ref.resolutionM !== refs[0]!.resolutionM) return 'Toutes les mailles d’une zone doivent avoir la même taille.';
    refs.push(ref);
  }
  return { cells: unique, refs };
}

/** Cells named in a message before « et N autres ». */
const CELLS_NAMED = 3;

function cellList(ids: readonly string[]): string {
  const named = ids.slice(0, CELLS_NAMED).map((id) => `« ${id} »`).join(', ');
  return ids.length > CELLS_NAMED ? `${named} et ${ids.length - CELLS_NAMED} autres` : named;
}

/**
 * The refusal of cells outside the zone's département (403: not the reviewer's to file), or
 * that nothing places (400); undefined when every cell is in it. See cell-departements.ts.
 */
async function cellsOutsideProblem(
  store: Store,
  communes: Communes,
  departement: string,
  refs: readonly CellRef[],
): Promise<{ status: 400 | 403; error: string } | undefined> {
  const { outside, unplaced } = await cellsByDepartement(departement, refs, store, communes);
  const where = `département ${departement} (${communes.departementName(departement) ?? departement})`;
  if (outside.length > 0) {
    const count = outside.length === 1 ? '1 maille est hors' : `${outside.length} mailles sont hors`;
    return { status: 403, error: `${count} du ${where} : ${cellList(outside)}. Une zone ne réunit que des mailles de son département.` };
  }
  if (unplaced.length > 0) {
    const one = unplaced.length === 1;
    return {
      status: 400,
      error:
        `Impossible de situer ${one ? '1 maille' : `${unplaced.length} mailles`} dans le ${where} : ${cellList(unplaced)}. ` +
        `Aucun relevé n’y est classé et ${one ? 'sa position n’est' : 'leur position n’est'} dans aucun département connu du serveur ; ${one ? 'elle est refusée' : 'elles sont refusées'}.`,
    };
  }
  return undefined;
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

/** Runs a store write that may find the cells taken: the 409 is sent then, and undefined answered. */
async function unlessOverlap<T>(reply: FastifyReply, write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof ZoneOverlapError)) throw error;
    void reply.code(409).send({ error: overlapMessage(error.overlap) });
    return undefined;
  }
}

/** The cells of the open zones the scope sees (its départements', or every one). */
async function openZoneCover(store: Store, scope: GridScope): Promise<CellCover<string>> {
  const zones = scope.kind === 'all' ? await store.listZones() : (await Promise.all(scope.departements.map((d) => store.listZones(d)))).flat();
  return cellCover(
    zones
      .filter((zone) => isOpenZone(zone.status))
      .flatMap((zone) => zone.cells.flatMap((id) => {
        const ref = parseCellId(id);
        return ref ? [[ref, zone.id] as const] : [];
      })),
  );
}

/** INSEE codes of the zone's communes: those of its cells' readings, of its département only (a border cell holds the neighbour's too). */
async function zoneCommunes(store: Store, communes: Communes, departement: string, refs: readonly CellRef[]): Promise<string[]> {
  return (await store.communesInCells(refs)).filter((code) => communes.get(code)?.departement === departement);
}

function needDetailProblem(draft: Pick<ZoneDraft, 'need' | 'needDetail'>): string | undefined {
  return draft.need === 'autre' && !draft.needDetail?.trim() ? 'Précisez le besoin (« needDetail ») quand il est « autre »' : undefined;
}

/** The zone if the caller may see it; else the answer (404, 403) has been sent. */
export async function zoneInScope(store: Store, id: string, user: User, reply: FastifyReply): Promise<Zone | undefined> {
  const zone = await store.zoneById(id);
  if (!zone) {
    void reply.code(404).send({ error: ZONE_NOT_FOUND });
    return undefined;
  }
  if (!mayManageZone(user, zone)) {
    void reply.code(403).send({ error: ZONE_OUT_OF_SCOPE });
    return undefined;
  }
  return zone;
}

/** Candidate zones: CRUD within a département, the workflow, suggestions. */
export function registerZoneRoutes(app: FastifyInstance, { store, communes, accounts, grid, now }: ZoneRoutesOptions): void {
  const options = verdictOptions(grid);
  const iso = () => new Date(now()).toISOString();
  const by = (user: User) => ({ id: user.id, name: user.name });

  const zoneFor = (id: string, user: User, reply: FastifyReply) => zoneInScope(store, id, user, reply);

  app.get('/api/v1/zones', async (request, reply) => {
    const query = parsed(reply, () => departementQuery(request.query as Record<string, string | string[]>));
    if (!query) return reply;
    const scope = zoneDepartement(request.principal!.user, query.departement, false);
    if ('error' in scope) return reply.code(scope.status).send({ error: scope.error });
    return { zones: await store.listZones(scope.departement) };
  });

  app.post('/api/v1/zones', async (request, reply) => {
    const user = request.principal!.user;
    const query = parsed(reply, () => departementQuery(request.query as Record<string, string | string[]>));
    if (!query) return reply;
    const scope = zoneDepartement(user, query.departement, true);
    if ('error' in scope) return reply.code(scope.status).send({ error: scope.error });
    const departement = scope.departement!;
    if (!communes.departementName(departement)) return reply.code(400).send({ error: `Département inconnu : « ${departement} »` });

    const body = draftBody(request.body);
    if (typeof body === 'string') return reply.code(400).send({ error: body });
    const result = v.safeParse(ZoneDraftSchema, body);
    if (!result.success) return reply.code(400).send({ error: issuesMessage(result.issues) });
    const draft = result.output;
    const needProblem = needDetailProblem(draft);
    if (needProblem) return reply.code(400).send({ error: needProblem });
    const cells = checkCells(draft.cells);
    if (typeof cells === 'string') return reply.code(400).send({ error: cells });
    const outside = await cellsOutsideProblem(store, communes, departement, cells.refs);
    if (outside) return reply.code(outside.status).send({ error: outside.error });

    const at = iso();
    const zone: Omit<Zone, 'history'> = {
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
    const stored = await unlessOverlap(reply, async () => {
      await store.createZone(zone, { at, by: by(user), from: null, to: 'a-etudier', reason: 'Zone créée' });
      return true;
    });
    if (!stored) return reply;
    await accounts.audit(actorOf(user), 'zone.create', 'zone', zone.id, {
      name: zone.name,
      departement,
      cells: zone.cells.length,
      need: zone.need,
    });
    return reply.code(201).send(await store.zoneById(zone.id));
  });

  app.get('/api/v1/zones/suggestions', async (request, reply) => {
    const view = parsed(reply, () => parseGridView(singleValued(request.query as Record<string, string | string[]>, GRID_PARAMS)));
    if (!view) return reply;
    const range = cellRange(view.bbox, view.resolutionM);
    if (!range) return { suggestions: [] };
    if (range.cells > MAX_CELLS_PER_REQUEST) return reply.code(400).send({ error: tooManyCells(view, range.cells) });
    const scope = gridScope(request.principal!.user, (code) => communes.get(code)?.departement);
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
    const suggestions = suggestZones(unfiled).map((suggested) => ({
      ...suggested,
      zone: suggested.grise === 0 ? 'zone-blanche' : suggested.blanche === 0 ? 'zone-grise' : 'mixte',
    }));
    return { suggestions };
  });

  app.get<{ Params: { id: string } }>('/api/v1/zones/:id', async (request, reply) => {
    const zone = await zoneFor(request.params.id, request.principal!.user, reply);
    return zone ?? reply;
  });

  app.patch<{ Params: { id: string } }>('/api/v1/zones/:id', async (request, reply) => {
    const user = request.principal!.user;
    const body = draftBody(request.body);
    if (typeof body === 'string') return reply.code(400).send({ error: body });
    if (Object.keys(body).length === 0) return reply.code(400).send({ error: `Rien à changer : envoyez au moins un champ parmi ${DRAFT_FIELDS.join(', ')}.` });
    const result = v.safeParse(ZonePatchSchema, body);
    if (!result.success) return reply.code(400).send({ error: issuesMessage(result.issues) });
    const patch = result.output;
    const zone = await zoneFor(request.params.id, user, reply);
    if (!zone) return reply;
    const needProblem = needDetailProblem({ need: patch.need ?? zone.need, needDetail: patch.needDetail ?? zone.needDetail });
    if (needProblem) return reply.code(400).send({ error: needProblem });

    const changes: ZoneChanges = { updatedAt: iso() };
    for (const key of ['name', 'need', 'needDetail', 'notes'] as const) if (patch[key] !== undefined) Object.assign(changes, { [key]: patch[key] });
    if (patch.cells !== undefined) {
      const cells = checkCells(patch.cells);
      if (typeof cells === 'string') return reply.code(400).send({ error: cells });
      const outside = await cellsOutsideProblem(store, communes, zone.departement, cells.refs);
      if (outside) return reply.code(outside.status).send({ error: outside.error });
      changes.cells = cells.cells;
      changes.communes = await zoneCommunes(store, communes, zone.departement, cells.refs);
    }
    const updated = await unlessOverlap(reply, () => store.updateZone(zone.id, changes));
    if (!updated) return reply.sent ? reply : reply.code(404).send({ error: ZONE_NOT_FOUND });
    const { updatedAt: _, cells, communes: touched, ...shown } = changes;
    await accounts.audit(actorOf(user), 'zone.update', 'zone', zone.id, {
      ...shown,
      ...(cells && { cells: cells.length, communes: touched }),
    });
    return updated;
  });

  app.post<{ Params: { id: string } }>('/api/v1/zones/:id/status', async (request, reply) => {
    const user = request.principal!.user;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ error: 'Le corps doit être un objet JSON : {"status": "retenue", "reason": "…"}' });
    }
    const result = v.safeParse(ZoneMoveSchema, body);
    if (!result.success) return reply.code(400).send({ error: issuesMessage(result.issues) });
    const move = result.output;
    const zone = await zoneFor(request.params.id, user, reply);
    if (!zone) return reply;
    if (!canMoveZone(zone.status, move.status)) return reply.code(409).send({ error: refusedMove(zone, move.status) });
    const entry: ZoneHistoryEntry & { from: Zone['status'] } = { at: iso(), by: by(user), from: zone.status, to: move.status, reason: move.reason };
    if (!(await store.moveZone(zone.id, entry))) {
      // Another reviewer moved it in between: say where it stands now.
      const current = (await store.zoneById(zone.id))!;
      return reply.code(409).send({ error: refusedMove(current, move.status) });
    }
    await accounts.audit(actorOf(user), 'zone.status', 'zone', zone.id, { from: zone.status, to: move.status, reason: move.reason });
    return store.zoneById(zone.id);
  });
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

