import { useEffect, useRef, useState } from 'preact/hooks';
import type { TileSource } from '../../domain/tile-source.ts';
import { addOfflineArea } from '../../store/offline-areas.ts';
import { currentCampaign } from '../campaigns/current-campaign.ts';
import { chooseTileSource, loadTileSources } from '../map/tile-config.ts';
import { useStore } from '../shell/tiny-store.ts';
import { AreaList } from './AreaList.tsx';
import { downloads, resumeInterruptedDownloads, startDownload } from './download-runner.ts';
import { defaultAreaName, defaultZooms, formatMegabytes, planArea, roomLeft, zoomChoiceLabel, type MapView, type StorageRoom } from './plan-area.ts';
import { useOnline } from '../shell/use-online.ts';

export interface OfflineMapsPanelProps {
  /** The area to prepare: the map's view now, as [west, south, east, north] and zoom. */
  getView: () => MapView;
  /** The base map shown, whose tiles would be downloaded. */
  source: TileSource;
}

/** How often the open panel follows the map as the agent pans and zooms. */
const VIEW_POLL_MS = 700;

/**
 * « Préparer hors ligne »: download the map's current view, over a range of levels of detail
 * (from the view's two wider to its two more detailed, within a size budget: plan-area.ts), for use
 * without network; and the list of areas already downloaded. Mounted under the map.
 */
export function OfflineMapsPanel({ getView, source }: OfflineMapsPanelProps) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    void resumeInterruptedDownloads();
  }, []);
  return (
    <section class="offline-maps" aria-label="Cartes hors ligne">
      <details open={open} onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
        <summary>Préparer hors ligne</summary>
        {open && (source.allowsPrefetch ? <AreaForm getView={getView} source={source} /> : <PrefetchForbidden source={source} />)}
      </details>
      <AreaList />
    </section>
  );
}

function AreaForm({ getView, source }: OfflineMapsPanelProps) {
  const view = useView(getView);
  const room = useStorageRoom(useStore(downloads).revision);
  const communeName = useStore(currentCampaign).campaign?.communeName;
  const [typedName, setTypedName] = useState<string>();
  const [chosenZooms, setChosenZooms] = useState<{ minZoom: number; maxZoom: number }>();
  const online = useOnline();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  const name = typedName ?? defaultAreaName(communeName, new Date());
  const zooms = chosenZooms ?? defaultZooms(view, source);
  const plan = planArea(view.bbox, zooms, source, room);
  const zoomChoices = range(source.minZoom, source.maxZoom);

  const start = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setStarting(true);
    try {
      // Asked before the download, not after: pre-downloaded tiles are worth keeping.
      await navigator.storage?.persist?.().catch(() => false);
      const fresh = planArea(getView().bbox, zooms, source, await estimateRoom());
      if (fresh.refusal) return setError(fresh.refusal);
      const id = crypto.randomUUID();
      await addOfflineArea({
        id,
        name: name.trim() || defaultAreaName(undefined, new Date()),
        sourceId: source.id,
        urlTemplate: source.url,
        bbox: getView().bbox,
        minZoom: fresh.zooms.minZoom,
        maxZoom: fresh.zooms.maxZoom,
        tileCount: fresh.tileCount,
        doneCount: 0,
        failedCount: 0,
        bytesStored: 0,
        state: 'downloading',
        createdAt: Date.now(),
      });
      setTypedName(undefined);
      void startDownload(id);
    } catch (caught) {
      setError(`Téléchargement impossible : ${String(caught)}`);
    } finally {
      setStarting(false);
    }
  };

  return (
    <form class="offline-form" onSubmit={(event) => void start(event)}>
      <p class="hint">La zone est la vue actuelle de la carte : déplacez ou zoomez la carte pour la changer.</p>
      <label>
        Nom de la zone
        <input value={name} maxLength={80} onInput={(event) => setTypedName((event.currentTarget as HTMLInputElement).value)} />
      </label>
      <fieldset class="offline-detail">
        <legend>Niveaux de la carte à garder</legend>
        <p class="hint">Du plus large (vue d’ensemble) au plus détaillé (rues) : plus de détail pèse plus lourd.</p>
        <div class="field-row">
          <label>
            Du plus large
            <select
              value={String(plan.zooms.minZoom)}
              onChange={(event) => {
                const minZoom = Number((event.currentTarget as HTMLSelectElement).value);
                setChosenZooms({ minZoom, maxZoom: Math.max(minZoom, plan.zooms.maxZoom) });
              }}
            >
              {zoomChoices.map((zoom) => (
                <option key={zoom} value={String(zoom)}>
                  {zoomChoiceLabel(zoom)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Au plus détaillé
            <select
              value={String(plan.zooms.maxZoom)}
              onChange={(event) => {
                const maxZoom = Number((event.currentTarget as HTMLSelectElement).value);
                setChosenZooms({ minZoom: Math.min(plan.zooms.minZoom, maxZoom), maxZoom });
              }}
            >
              {zoomChoices.map((zoom) => (
                <option key={zoom} value={String(zoom)}>
                  {zoomChoiceLabel(zoom)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <p class="offline-estimate" aria-live="polite">
        {plan.tileCount.toLocaleString('fr-FR')} tuiles, environ {formatMegabytes(plan.bytes)}
        {room && <span class="hint"> · espace disponible : {formatMegabytes(roomLeft(room))}</span>}
      </p>
      {plan.refusal && (
        <p class="error" role="alert">
          {plan.refusal}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!online && <p class="hint">Appareil hors ligne : reconnectez-vous pour télécharger une zone.</p>}
      <button type="submit" class="primary" disabled={Boolean(plan.refusal) || !online || starting || plan.tileCount === 0}>
        Télécharger cette zone
      </button>
    </form>
  );
}

/** Sources whose terms forbid bulk download (OpenStreetMap's): say so, and offer one that allows it. */
function PrefetchForbidden({ source }: { source: TileSource }) {
  const [alternatives, setAlternatives] = useState<TileSource[]>([]);
  useEffect(() => {
    void loadTileSources().then((config) => setAlternatives(config?.sources.filter((other) => other.allowsPrefetch) ?? []));
  }, [source.id]);
  return (
    <div class="offline-forbidden">
      <p>
        Les conditions d’utilisation du fond de carte « {source.label} » interdisent de le télécharger à l’avance. Ses tuiles restent en cache au fil de la
        navigation seulement : les endroits déjà regardés avec du réseau s’affichent hors ligne.
      </p>
      {alternatives.length > 0 && (
        <div class="actions">
          {alternatives.map((other) => (
            <button key={other.id} type="button" onClick={() => chooseTileSource(other.id)}>
              Utiliser « {other.label} » pour préparer la carte
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** The map's view, followed while the panel is open. */
function useView(getView: () => MapView): MapView {
  const [view, setView] = useState(() => getView());
  const latest = useRef(getView);
  latest.current = getView;
  useEffect(() => {
    const timer = setInterval(() => {
      const next = latest.current();
      setView((previous) => (sameView(previous, next) ? previous : next));
    }, VIEW_POLL_MS);
    return () => clearInterval(timer);
  }, []);
  return view;
}

function sameView(a: MapView, b: MapView): boolean {
  return a.zoom === b.zoom && a.bbox.every((value, index) => value === b.bbox[index]);
}

function useStorageRoom(refresh: number): StorageRoom | undefined {
  const [room, setRoom] = useState<StorageRoom>();
  useEffect(() => {
    let live = true;
    void estimateRoom().then((estimate) => live && setRoom(estimate));
    return () => {
      live = false;
    };
  }, [refresh]);
  return room;
}

async function estimateRoom(): Promise<StorageRoom | undefined> {
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  if (estimate?.usage === undefined || estimate.quota === undefined) return undefined;
  return { usage: estimate.usage, quota: estimate.quota };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}
