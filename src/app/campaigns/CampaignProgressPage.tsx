import type { ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SessionInfo } from '../../domain/account.ts';
import { surveyRules, surveyRulesSummary, type CampaignView } from '../../domain/campaign.ts';
import { DEFAULT_PROTOCOL } from '../../domain/protocol.ts';
import { OPERATOR_LABELS } from '../../domain/operators.ts';
import { TECHNOLOGIES, TECHNOLOGY_LABELS, type Technology } from '../../domain/signal.ts';
import { formatTime } from '../format.ts';
import { ApiError } from '../shell/api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useStore } from '../shell/tiny-store.ts';
import { useOutboxRecords } from '../sync/outbox-state.ts';
import { canManageCampaign } from './campaign-access.ts';
import { cacheProgress, loadCachedCampaigns } from './campaign-cache.ts';
import { campaignPhase, formatInstant, formatPeriod, localDay, PHASE_LABELS } from './campaign-calendar.ts';
import type { CampaignMapProps } from './CampaignMap.tsx';
import { operatorRows, readingsBeyondSnapshot, tallyCampaign, type CampaignTally, type ServerProgress } from './campaign-progress.ts';
import { getCampaignProgress } from './campaigns-api.ts';
import { formatRoute, hrefTo } from '../shell/routes.ts';
import { chooseCampaign, currentCampaign } from './current-campaign.ts';
import { campaignOf, useCampaign } from './use-campaigns.ts';
import { useTitle } from '../shell/use-title.ts';

type User = SessionInfo['user'];

/** `#campagnes/<id>`: what has been measured, on the server and still on this device, and where. */
export function CampaignProgressPage({ user, id }: { user: User; id: string }) {
  useTitle('Avancement de la campagne');
  const { campaign, error, missing } = useCampaign(user.id, id);
  return (
    <section class="screen campaign-progress-screen" aria-labelledby="campaign-progress-title">
      <p class="back-link">
        <a href={hrefTo('campagnes')}>← Campagnes</a>
      </p>
      <h2 id="campaign-progress-title">{campaign ? campaign.name : 'Avancement de la campagne'}</h2>
      {!campaign && !error && <p>Chargement…</p>}
      {!campaign && error && <ApiErrorMessage error={missing ? 'Cette campagne n’existe pas ou ne vous est pas ouverte.' : error} />}
      {campaign && <CampaignProgressView user={user} campaign={campaign} />}
    </section>
  );
}

interface ServerState {
  figures?: ServerProgress;
  /** The figures shown were fetched by this page (not the device's copy). */
  fresh: boolean;
  error?: string;
  /** The last attempt found no network at all. */
  offline?: boolean;
  loading: boolean;
}

function useServerProgress(userId: string, campaignId: string, sentCount: number): ServerState & { reload(): void } {
  const [state, setState] = useState<ServerState>({ fresh: false, loading: true });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stale = false;
    void loadCachedCampaigns(userId).then((cached) => {
      const figures = cached?.progress[campaignId];
      if (!stale && figures) setState((previous) => (previous.figures ? previous : { ...previous, figures }));
    });
    return () => {
      stale = true;
    };
  }, [userId, campaignId]);

  // Asked again whenever this device's readings of the campaign reach the server.
  useEffect(() => {
    const abort = new AbortController();
    // Taken before asking: a reading sent after this instant may be missing from the answer.
    const fetchedAt = Date.now();
    setState((previous) => ({ ...previous, loading: true, error: undefined, offline: false }));
    getCampaignProgress(campaignId, abort.signal).then(
      (progress) => {
        if (abort.signal.aborted) return;
        const figures = { progress, fetchedAt };
        setState({ figures, fresh: true, loading: false });
        void cacheProgress(userId, figures);
      },
      (caught: unknown) => {
        if (abort.signal.aborted) return;
        const offline = caught instanceof ApiError && caught.status === 0;
        setState((previous) => ({
          ...previous,
          loading: false,
          offline,
          error: caught instanceof ApiError ? caught.message : 'Les chiffres du serveur n’ont pas pu être chargés.',
        }));
      },
    );
    return () => abort.abort();
  }, [userId, campaignId, sentCount, attempt]);

  useEffect(() => {
    const retry = () => setAttempt((n) => n + 1);
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, []);

  return { ...state, reload: () => setAttempt((n) => n + 1) };
}

/** Leaflet loads with the first campaign map opened, not with the campaign list. */
let loadingMap: Promise<ComponentType<CampaignMapProps>> | undefined;

function CampaignProgressView({ user, campaign }: { user: User; campaign: CampaignView }) {
  const { records } = useOutboxRecords();
  const { campaign: chosen } = useStore(currentCampaign);
  const sentCount = records.filter((record) => record.state === 'sent' && record.reading.campaignId === campaign.id).length;
  const server = useServerProgress(user.id, campaign.id, sentCount);
  const tally = useMemo(() => tallyCampaign(campaign.id, server.figures, records), [campaign.id, server.figures, records]);
  const beyond = useMemo(() => readingsBeyondSnapshot(records, campaign.id, server.figures?.fetchedAt), [records, campaign.id, server.figures]);
  const deviceReadings = useMemo(() => [...beyond.unsent, ...beyond.sentSince], [beyond]);
  const phase = campaignPhase(campaign, localDay(new Date()));

  const [CampaignMap, setCampaignMap] = useState<ComponentType<CampaignMapProps>>();
  const [mapFailed, setMapFailed] = useState(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    loadingMap ??= import('./CampaignMap.tsx').then((module) => module.CampaignMap);
    loadingMap.then(
      (component) => mounted.current && setCampaignMap(() => component),
      () => {
        loadingMap = undefined;
        if (mounted.current) setMapFailed(true);
      },
    );
    return () => {
      mounted.current = false;
    };
  }, []);

  return (
    <>
      <p class="reading-meta">
        {campaign.communeName} ({campaign.communeInsee}) · {formatPeriod(campaign.startsOn, campaign.endsOn)} · {PHASE_LABELS[phase]}
      </p>
      <p class="reading-meta">Protocole : {surveyRulesSummary(surveyRules(campaign, DEFAULT_PROTOCOL))}</p>
      <div class="actions">
        {user.role === 'agent' && chosen?.id !== campaign.id && (
          <button type="button" class="primary" onClick={() => void chooseCampaign(campaignOf(campaign))}>
            Choisir cette campagne
          </button>
        )}
        {user.role === 'agent' && chosen?.id === campaign.id && <span class="campaign-chosen-tag">✓ Campagne de cet appareil</span>}
        {canManageCampaign(user, campaign) && (
          <a class="button-link" href={formatRoute({ name: 'modifier-campagne', id: campaign.id })}>
            Modifier
          </a>
        )}
        <button type="button" onClick={server.reload} disabled={server.loading}>
          {server.loading ? 'Chargement…' : 'Actualiser'}
        </button>
      </div>
      <ServerStatus server={server} tally={tally} />
      <Summary tally={tally} />
      <OperatorTable tally={tally} operators={campaign.operators} />
      <TechnologyTable tally={tally} />
      {tally.refused > 0 && (
        <p class="error">
          {tally.refused} relevé{tally.refused > 1 ? 's' : ''} de cette campagne refusé{tally.refused > 1 ? 's' : ''} par le serveur : corrigez-les dans{' '}
          <a href={hrefTo('releves')}>Relevés</a> pour qu’ils comptent.
        </p>
      )}
      <h3>Plan d’échantillonnage</h3>
      <p class="hint">
        Les mailles de la campagne encore indécises et combien de relevés de plus trancheraient chacune (intervalle de confiance de Wilson) : la carte de
        l’agent les montre « à mesurer ».
      </p>
      <p class="actions">
        <a class="button-link" href={`/api/v1/campaigns/${encodeURIComponent(campaign.id)}/sampling-plan.csv?format=tableur`} download>
          Plan d’échantillonnage (CSV)
        </a>
        <a class="button-link" href={`/api/v1/exports/arcep-qos.csv?campaign=${encodeURIComponent(campaign.id)}`} download>
          Relevés au format Arcep (CSV)
        </a>
      </p>
      <h3>Carte des mailles</h3>
      {mapFailed ? (
        <p class="error">La carte n’a pas pu se charger. Rouvrez l’application avec du réseau une fois pour l’installer.</p>
      ) : CampaignMap ? (
        <CampaignMap serverCells={server.figures?.progress.cells ?? []} deviceReadings={deviceReadings} operators={campaign.operators} />
      ) : (
        <p>Chargement de la carte…</p>
      )}
    </>
  );
}

function ServerStatus({ server, tally }: { server: ServerState; tally: CampaignTally }) {
  if (server.loading && !server.figures) return <p class="hint">Chargement des chiffres du serveur…</p>;
  if (server.fresh && server.figures) return <p class="hint progress-age">Chiffres du serveur du {formatInstant(server.figures.fetchedAt)}.</p>;
  if (server.figures) {
    return (
      <p class="hint progress-age" role="status">
        {server.loading ? 'En attente du serveur' : server.offline ? 'Hors ligne' : 'Serveur injoignable'} : chiffres du serveur du{' '}
        {formatInstant(server.figures.fetchedAt)}, gardés sur cet appareil
        {tally.sentSince > 0
          ? `, plus ${tally.sentSince} relevé${tally.sentSince > 1 ? 's' : ''} envoyé${tally.sentSince > 1 ? 's' : ''} depuis par cet appareil`
          : ''}
        .
      </p>
    );
  }
  return (
    <p class="hint progress-age" role="status">
      {server.offline ? 'Hors ligne' : 'Chiffres du serveur indisponibles'} : « sur le serveur » ne compte que les relevés envoyés par cet appareil
      {server.error && !server.offline ? ` (${server.error})` : ''}.
    </p>
  );
}

function Summary({ tally }: { tally: CampaignTally }) {
  return (
    <dl class="campaign-facts">
      <div>
        <dt>Relevés</dt>
        <dd>
          {tally.total.readings}{' '}
          <span class="hint">
            ({tally.server.readings} sur le serveur, {tally.device.readings} sur cet appareil pas encore envoyés)
          </span>
        </dd>
      </div>
      <div>
        <dt>Parcours</dt>
        <dd>
          {tally.serverTracks ?? '?'} sur le serveur
          {tally.deviceTracks > 0 && `, ${tally.deviceTracks} avec des points pas encore envoyés`}
        </dd>
      </div>
      <div>
        <dt>Dernier relevé</dt>
        <dd>{tally.lastReadingAt ? formatTime(tally.lastReadingAt) : 'aucun'}</dd>
      </div>
    </dl>
  );
}

/** A bar split between what the server has and what waits on the device, scaled to the largest row. */
function Bar({ server, device, max }: { server: number; device: number; max: number }) {
  const percent = (n: number) => `${max > 0 ? (100 * n) / max : 0}%`;
  return (
    <span class="progress-bar" aria-hidden="true">
      <span class="progress-bar-server" style={{ width: percent(server) }} />
      <span class="progress-bar-device" style={{ width: percent(device) }} />
    </span>
  );
}

function CountsHead({ what }: { what: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{what}</th>
        <th scope="col">Sur le serveur</th>
        <th scope="col">Sur cet appareil, pas encore envoyés</th>
        <th scope="col">Total</th>
      </tr>
    </thead>
  );
}

function OperatorTable({ tally, operators }: { tally: CampaignTally; operators: CampaignView['operators'] }) {
  const rows = operatorRows(tally, operators);
  const max = Math.max(0, ...rows.map((row) => row.total));
  return (
    <>
      <h3 id="campaign-operators-title">Relevés par opérateur</h3>
      <div class="table-scroll">
        <table class="stats-table progress-table" aria-labelledby="campaign-operators-title">
          <CountsHead what="Opérateur" />
          <tbody>
            {rows.map((row) => (
              <tr key={row.operator} data-operator={row.operator}>
                <th scope="row">
                  {OPERATOR_LABELS[row.operator]}
                  {!row.planned && <span class="hint"> (hors campagne)</span>}
                  <Bar server={row.server} device={row.device} max={max} />
                </th>
                <td>{row.server}</td>
                <td>{row.device}</td>
                <td>{row.total === 0 ? <span class="not-measured">pas encore mesuré</span> : row.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint bar-key">
        <span class="progress-bar-server key" /> sur le serveur <span class="progress-bar-device key" /> sur cet appareil, pas encore envoyés
      </p>
    </>
  );
}

function TechnologyTable({ tally }: { tally: CampaignTally }) {
  const shown = TECHNOLOGIES.filter((technology: Technology) => tally.total.byTechnology[technology] > 0);
  const max = Math.max(0, ...shown.map((technology) => tally.total.byTechnology[technology]));
  return (
    <>
      <h3 id="campaign-technologies-title">Points par technologie</h3>
      {shown.length === 0 ? (
        <p>Aucun relevé pour l’instant.</p>
      ) : (
        <div class="table-scroll">
          <table class="stats-table progress-table" aria-labelledby="campaign-technologies-title">
            <CountsHead what="Réseau" />
            <tbody>
              {shown.map((technology) => (
                <tr key={technology} data-technology={technology}>
                  <th scope="row">
                    {TECHNOLOGY_LABELS[technology]}
                    <Bar server={tally.server.byTechnology[technology]} device={tally.device.byTechnology[technology]} max={max} />
                  </th>
                  <td>{tally.server.byTechnology[technology]}</td>
                  <td>{tally.device.byTechnology[technology]}</td>
                  <td>{tally.total.byTechnology[technology]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
