import { lazyScreen } from '../shell/lazy-screen.tsx';
import { useNewestReadings } from '../sync/outbox-state.ts';
import { useState } from 'preact/hooks';
import { ReadingItem } from './ReadingItem.tsx';
import { useTitle } from '../shell/use-title.ts';

// Import and export are for the odd day: their code (CSV parser included) loads when the screen opens.
const DeviceFilesPanel = lazyScreen(() => import('../files/DeviceFilesPanel.tsx').then((m) => m.DeviceFilesPanel), 'L’import et l’export de fichiers');

/**
 * Readings shown at first, and added by each « Afficher plus »: a week offline can leave
 * tens of thousands on the phone. Only those shown are read (useNewestReadings()), the most
 * recently measured first, whether recorded here or imported from a log (an import saves a
 * whole file at one instant, so the order they were saved in says nothing).
 */
export const READINGS_PAGE = 100;

export function ReadingsScreen() {
  useTitle('Relevés de cet appareil');
  const [shown, setShown] = useState(READINGS_PAGE);
  const { newest, newestMore, newestLoaded } = useNewestReadings(shown);
  return (
    <section class="screen" aria-labelledby="readings-title">
      <h2 id="readings-title">Relevés de cet appareil</h2>
      {newestLoaded && newest.length === 0 && <p>Aucun relevé pour l’instant : ils apparaîtront ici dès le premier enregistrement.</p>}
      {newest.length > 0 && (
        <p class="readings-files-link">
          <button type="button" class="link-button" onClick={() => document.getElementById('device-files')?.scrollIntoView({ block: 'start' })}>
            Importer ou exporter un fichier
          </button>
        </p>
      )}
      <ul class="readings" aria-label="Relevés">
        {newest.map((record) => (
          <ReadingItem key={record.id} record={record} />
        ))}
      </ul>
      {newestMore && (
        <p>
          <button type="button" onClick={() => setShown(shown + READINGS_PAGE)}>
            Afficher des relevés plus anciens
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
