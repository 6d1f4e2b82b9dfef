import { useEffect, useState } from 'preact/hooks';
import { nextStatuses, ZONE_NEED_LABELS, ZONE_STATUS_LABELS, ZONE_STATUSES, type ZoneStatus } from '../../domain/zone.ts';
import { formatTime } from '../format.ts';
import { ApiError } from '../shell/api.ts';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { DossierPage } from './DossierPage.tsx';
import { ZoneEditForm } from './ZoneEditForm.tsx';
import { ZonesAnswerSchema } from '../../domain/api/zones.ts';
import { moveZone, zoneFileUrl, ZONES_PATH } from './zones-api.ts';
import { useApi } from '../shell/use-api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { FormActions } from '../shell/FormActions.tsx';
import { useAction } from '../shell/use-action.ts';
import { formatRoute, hrefTo } from '../shell/routes.ts';
import { useRoute } from '../shell/use-route.ts';
import { useTitle } from '../shell/use-title.ts';
import { compareByDeadline } from '../../domain/zone-follow-up.ts';
import type { ZoneAnswer } from '../../domain/api/index.ts';
import { localToday, ZoneFollowUpPanel } from './ZoneFollowUpPanel.tsx';
import { UNPLACED_COMMUNES } from './zone-communes.ts';

/** How the list is ordered: latest change first, by deadline (overdue first), or by people affected. */
const ZONE_ORDERS = { recentes: 'Dernières modifiées', echeance: 'Échéance (en retard d’abord)', personnes: 'Personnes concernées' } as const;
type ZoneOrder = keyof typeof ZONE_ORDERS;

function sortZones(zones: ZoneAnswer[], order: ZoneOrder): ZoneAnswer[] {
  if (order === 'echeance') return zones.sort(compareByDeadline(localToday()));
  if (order === 'personnes') return zones.sort((a, b) => (b.people?.inhabitants ?? -1) - (a.people?.inhabitants ?? -1));
  return zones.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
}

/** « Zones »: the département's candidate zones, their workflow and history, their dossiers. */
export function ZonesScreen() {
  const { route } = useRoute();
  if (route.name === 'dossier') return <DossierPage id={route.zoneId} />;
  return <ZonesList />;
}

function ZonesList() {
  useTitle('Zones candidates');
  const { session } = useStore(sessionState);
  const user = session?.info.user;
  const answer = useApi(ZONES_PATH, ZonesAnswerSchema);
  // A copy the items update as the server answers their changes, until the next load.
  const [zones, setZones] = useState<ZoneAnswer[]>();
  useEffect(() => {
    if (answer.data) setZones(answer.data.zones);
  }, [answer.data]);
  const [status, setStatus] = useState<ZoneStatus | ''>('');
  const [order, setOrder] = useState<ZoneOrder>('recentes');
  const { loading, reload: load } = answer;

  const replace = (updated: ZoneAnswer) => setZones((list) => list?.map((zone) => (zone.id === updated.id ? updated : zone)));
  const shown = sortZones(
    (zones ?? []).filter((zone) => !status || zone.status === status),
    order,
  );

  return (
    <section class="screen zones-screen" aria-labelledby="zones-title">
      <h2 id="zones-title">Zones candidates{user?.departement ? ` (département ${user.departement})` : ''}</h2>
      <p class="hint">Partagées avec les autres instructeurs du département ; chaque changement d’étape est journalisé avec sa raison.</p>
      <div class="actions">
        <button type="button" onClick={load} disabled={loading}>
          {loading ? 'Chargement…' : 'Actualiser'}
        </button>
        <a class="button-link" href="/api/v1/zones.csv" download>
          Liste des zones (CSV)
        </a>
        <a class="button-link" href="/api/v1/zones.csv?format=tableur" download>
          Liste des zones (CSV pour tableur)
        </a>
        <a class="button-link" href="/api/v1/zones.geojson" download>
          Liste des zones (GeoJSON)
        </a>
      </div>
      <div class="field status-filter">
        <label for="zones-status">Étape</label>
        <select id="zones-status" value={status} onChange={(event) => setStatus(event.currentTarget.value as ZoneStatus | '')}>
          <option value="">Toutes</option>
          {ZONE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ZONE_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="field status-filter">
        <label for="zones-order">Trier par</label>
        <select id="zones-order" value={order} onChange={(event) => setOrder(event.currentTarget.value as ZoneOrder)}>
          {(Object.keys(ZONE_ORDERS) as ZoneOrder[]).map((key) => (
            <option key={key} value={key}>
              {ZONE_ORDERS[key]}
            </option>
          ))}
        </select>
      </div>
      <ApiErrorMessage error={answer.error} onRetry={load} />
      {zones && zones.length === 0 && (
        <p>
          Aucune zone pour l’instant : créez-en depuis <a href={hrefTo('couverture')}>Couverture</a>.
        </p>
      )}
      <ul class="zones" aria-label="Zones">
        {shown.map((zone) => (
          <ZoneItem key={zone.id} zone={zone} onChange={replace} onStale={load} />
        ))}
      </ul>
    </section>
  );
}

function ZoneItem({ zone, onChange, onStale }: { zone: ZoneAnswer; onChange(zone: ZoneAnswer): void; onStale(): void }) {
  const [target, setTarget] = useState<ZoneStatus>();
  const [reason, setReason] = useState('');
  // The arrêté's date (to « Arrêtée ») or the date of service (to « Couverte ») the move needs.
  const [moveDate, setMoveDate] = useState('');
  const moving = useAction();
  const [editing, setEditing] = useState(false);

  const move = async () => {
    if (!target) return;
    if (!reason.trim()) return moving.refuse('Dites pourquoi la zone change d’étape.');
    const dateField = target === 'arretee' ? 'arreteDate' : target === 'couverte' ? 'inServiceDate' : undefined;
    await moving.run(async () => {
      try {
        onChange(await moveZone(zone.id, { status: target, reason: reason.trim(), ...(dateField && moveDate && { followUp: { [dateField]: moveDate } }) }));
      } catch (caught) {
        // Another reviewer moved it first: show where it stands now.
        if (caught instanceof ApiError && caught.status === 409) onStale();
        throw caught;
      }
      setTarget(undefined);
      setReason('');
      setMoveDate('');
    });
  };

  const next = nextStatuses(zone.status);
  const reasonId = `zone-reason-${zone.id}`;
  return (
    <li class="zone-item" aria-label={zone.name} data-status={zone.status}>
      <div class="reading-head">
        <span class="reading-what">{zone.name}</span>
        <span class={`state zone-status zone-status-${zone.status}`}>{ZONE_STATUS_LABELS[zone.status]}</span>
      </div>
      <p class="reading-meta">
        {ZONE_NEED_LABELS[zone.need]}
        {zone.need === 'autre' && zone.needDetail ? ` : ${zone.needDetail}` : ''} · {zone.cells.length} maille{zone.cells.length > 1 ? 's' : ''} · communes{' '}
        {zone.communes.length > 0 ? zone.communes.join(', ') : UNPLACED_COMMUNES} · créée {formatTime(zone.createdAt)}
      </p>
      {zone.notes && <p class="reading-meta">Notes : {zone.notes}</p>}
      <ZoneFollowUpPanel zone={zone} onChange={onChange} />
      {editing ? (
        <ZoneEditForm
          zone={zone}
          onSaved={(saved) => {
            onChange(saved);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : target ? (
        <form
          class="hide-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void move();
          }}
        >
          <div class="field">
            <label for={reasonId}>Raison du passage à « {ZONE_STATUS_LABELS[target]} »</label>
            <input id={reasonId} type="text" maxLength={1000} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          </div>
          {(target === 'arretee' || target === 'couverte') && (
            <div class="field">
              <label for={`${reasonId}-date`}>{target === 'arretee' ? 'Date de l’arrêté' : 'Date de mise en service du site'}</label>
              <input id={`${reasonId}-date`} type="date" value={moveDate} onInput={(event) => setMoveDate(event.currentTarget.value)} />
            </div>
          )}
          <FormActions submitLabel="Confirmer" busy={moving.busy} onCancel={() => setTarget(undefined)} />
        </form>
      ) : (
        <div class="actions">
          {next.map((to) => (
            <button key={to} type="button" class={to === 'ecartee' ? 'danger' : ''} onClick={() => setTarget(to)}>
              {to === 'a-etudier' ? 'Remettre à l’étude' : `Passer à « ${ZONE_STATUS_LABELS[to]} »`}
            </button>
          ))}
          <button type="button" onClick={() => setEditing(true)}>
            Modifier
          </button>
        </div>
      )}
      <ApiErrorMessage error={moving.error} />
      <div class="actions dossier-links">
        <a href={formatRoute({ name: 'dossier', zoneId: zone.id })}>Page imprimable</a>
        <a href={zoneFileUrl(zone.id, 'dossier.geojson')} download>
          Dossier (GeoJSON)
        </a>
        <a href={zoneFileUrl(zone.id, 'readings.csv')} download>
          Relevés (CSV)
        </a>
        <a href={`${zoneFileUrl(zone.id, 'readings.csv')}?format=tableur`} download>
          Relevés (CSV pour tableur)
        </a>
      </div>
      <details class="zone-history">
        <summary>Historique ({zone.history.length})</summary>
        <ol aria-label={`Historique de ${zone.name}`}>
          {zone.history.map((entry, i) => (
            <li key={i}>
              {formatTime(entry.at)} · {entry.by.name} : {entry.from ? `${ZONE_STATUS_LABELS[entry.from]} → ` : 'création, '}
              {ZONE_STATUS_LABELS[entry.to]} — « {entry.reason} »
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}
