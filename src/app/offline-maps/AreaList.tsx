import { useEffect, useState } from 'preact/hooks';
import { listOfflineAreas, type OfflineAreaRecord } from '../../store/offline-areas.ts';
import { useStore } from '../shell/tiny-store.ts';
import { plural } from '../format.ts';
import { cancelDownload, deleteArea, downloads, isRunning, startDownload, type StopNotice } from './download-runner.ts';
import { formatMegabytes, zoomWords } from './plan-area.ts';

const day = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' });

/** The areas downloaded (or downloading) on this device, each with its size, date and actions. */
export function AreaList() {
  const state = useStore(downloads);
  const [areas, setAreas] = useState<OfflineAreaRecord[]>();
  useEffect(() => {
    let live = true;
    void listOfflineAreas().then((listed) => live && setAreas(listed));
    return () => {
      live = false;
    };
  }, [state.revision]);
  if (!areas || areas.length === 0) return null;
  return (
    <ul class="offline-areas" aria-label="Zones téléchargées">
      {areas.map((area) => (
        <AreaItem key={area.id} area={area} live={state.progress[area.id]} notice={state.notices[area.id]} />
      ))}
    </ul>
  );
}

function AreaItem({
  area,
  live,
  notice,
}: {
  area: OfflineAreaRecord;
  live: { doneCount: number; bytesStored: number } | undefined;
  notice: StopNotice | undefined;
}) {
  const [busy, setBusy] = useState(false);
  const doneCount = live?.doneCount ?? area.doneCount;
  const bytes = live?.bytesStored ?? area.bytesStored;
  const running = isRunning(area.id);
  const act = (action: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="offline-area" aria-label={area.name}>
      <div class="offline-area-head">
        <strong>{area.name}</strong>
        <span class={`state offline-state-${area.state}`}>{stateLabel(area, running)}</span>
      </div>
      <p class="hint">
        {plural(area.tileCount, 'tuile')} ({levelsText(area)}), {formatMegabytes(bytes)}, le {day.format(area.createdAt)}
        {area.failedCount > 0 && ` · ${plural(area.failedCount, 'tuile absente', 'tuiles absentes')} chez le fournisseur`}
      </p>
      {area.state !== 'complete' && (
        <>
          <progress max={area.tileCount} value={doneCount} aria-label={`Téléchargement de ${area.name}`} />
          <p class="offline-progress">
            {doneCount.toLocaleString('fr-FR')} / {area.tileCount.toLocaleString('fr-FR')} tuiles
          </p>
        </>
      )}
      {notice && (
        <p class="offline-notice" role="status">
          {notice.text}
        </p>
      )}
      <div class="actions">
        {running && (
          <button type="button" disabled={busy} onClick={act(() => cancelDownload(area.id))}>
            Annuler
          </button>
        )}
        {!running && area.state !== 'complete' && (
          <button type="button" class={notice?.retry ? 'primary' : undefined} disabled={busy} onClick={() => void startDownload(area.id)}>
            {notice?.retry ? 'Réessayer' : 'Reprendre'}
          </button>
        )}
        <button type="button" disabled={busy} onClick={act(() => deleteArea(area.id))}>
          Supprimer
        </button>
      </div>
    </li>
  );
}

/** « de « Commune » à « Rues » », or « Rues » for one level. */
function levelsText(area: Pick<OfflineAreaRecord, 'minZoom' | 'maxZoom'>): string {
  const widest = zoomWords(area.minZoom);
  const finest = zoomWords(area.maxZoom);
  return widest === finest ? widest : `de « ${widest} » à « ${finest} »`;
}

function stateLabel(area: OfflineAreaRecord, running: boolean): string {
  if (area.state === 'complete') return 'Prête hors ligne';
  if (running) return 'Téléchargement…';
  // « downloading » but not running here: another tab holds it, or the page is about to resume it.
  return area.state === 'downloading' ? 'En cours' : 'En pause';
}
