import { lazyScreen } from '../shell/lazy-screen.tsx';
import { useOutboxRecords } from '../sync/outbox-state.ts';
import { useMemo, useState } from 'preact/hooks';
import { ReadingItem } from './ReadingItem.tsx';
import { newestFirst } from './newest-first.ts';
import { useTitle } from '../shell/use-title.ts';

// Import and export are for the odd day: their code (CSV parser included) loads when the screen opens.
const DeviceFilesPanel = lazyScreen(() => import('../files/DeviceFilesPanel.tsx').then((m) => m.DeviceFilesPanel), 'L’import et l’export de fichiers');

/**
 * Readings shown at first, and added by each « Afficher plus »: a week offline can leave
 * thousands on the phone, and drawing them all would make every save redraw them all.
 */
export const READINGS_PAGE = 100;

export function ReadingsScreen() {
  useTitle('Relevés de cet appareil');
  const { records, recordsLoaded } = useOutboxRecords();
  const [shown, setShown] = useState(READINGS_PAGE);
  const listed = useMemo(() => newestFirst(records), [records]);
  const more = listed.length - shown;
  return (
    <section class="screen" aria-labelledby="readings-title">
      <h2 id="readings-title">Relevés de cet appareil</h2>
      {recordsLoaded && records.length === 0 && <p>Aucun relevé pour l’instant : ils apparaîtront ici dès le premier enregistrement.</p>}
      {records.length > 0 && (
        <p class="readings-files-link">
          <button type="button" class="link-button" onClick={() => document.getElementById('device-files')?.scrollIntoView({ block: 'start' })}>
            Importer ou exporter un fichier
          </button>
        </p>
      )}
      <ul class="readings" aria-label="Relevés">
        {listed.slice(0, shown).map((record) => (
          <ReadingItem key={record.id} record={record} />
        ))}
      </ul>
      {more > 0 && (
        <p>
          <button type="button" onClick={() => setShown(shown + READINGS_PAGE)}>
            Afficher {Math.min(more, READINGS_PAGE)} relevés de plus ({more} non affichés)
          </button>
        </p>
      )}
      {/* After the list: the readings are what the screen is for, files are for the odd day. */}
      <div id="device-files">
        <DeviceFilesPanel />
      </div>
    </section>
  );
}
