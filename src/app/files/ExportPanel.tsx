import { useState } from 'preact/hooks';
import type { ExportFormat, ExportScope } from '../../domain/import/import-summary.ts';
import { callWorker } from '../shell/worker-bridge.ts';
import { ChoiceGroup } from '../survey/ChoiceGroup.tsx';
import { datedFileName, downloadBlob } from './download.ts';
import { plural } from '../format.ts';

const FORMATS: { format: ExportFormat; label: string; extension: string }[] = [
  { format: 'geojson', label: 'GeoJSON (carte)', extension: 'geojson' },
  { format: 'csv-tableur', label: 'CSV pour tableur', extension: 'csv' },
  { format: 'csv', label: 'CSV', extension: 'csv' },
  { format: 'json', label: 'JSON (lot de l’API)', extension: 'json' },
];

const SCOPES: { value: ExportScope; label: string }[] = [
  { value: 'unsent', label: 'Non envoyés' },
  { value: 'all', label: 'Tous' },
];

/** « Exporter les relevés »: the last resort when the phone cannot reach the server before it must be wiped. */
export function ExportPanel({ onExported }: { onExported: () => void }) {
  const [scope, setScope] = useState<ExportScope>('unsent');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();

  async function exportAs(format: ExportFormat, extension: string) {
    setBusy(true);
    setMessage(undefined);
    try {
      const { blob, count } = await callWorker((services) => services.exportReadings(format, scope));
      if (count === 0) {
        setMessage({ text: scope === 'unsent' ? 'Aucun relevé non envoyé : rien à exporter.' : 'Aucun relevé sur cet appareil.' });
        return;
      }
      downloadBlob(blob, datedFileName(`${scope === 'unsent' ? 'releves-non-envoyes' : 'releves'}${format === 'csv-tableur' ? '-tableur' : ''}`, extension));
      setMessage({ text: `${plural(count, 'relevé exporté', 'relevés exportés')}.` });
      onExported();
    } catch (error) {
      setMessage({ text: `L’export a échoué : ${error instanceof Error ? error.message : String(error)}`, error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="files-section" aria-labelledby="export-title">
      <h3 id="export-title">Exporter les relevés</h3>
      <ChoiceGroup legend="Relevés à exporter" name="export-scope" options={SCOPES} value={scope} onChange={setScope} />
      <div class="actions">
        {FORMATS.map(({ format, label, extension }) => (
          <button key={format} type="button" disabled={busy} onClick={() => void exportAs(format, extension)}>
            Exporter en {label}
          </button>
        ))}
      </div>
      <p class="hint">En dernier recours, si ce téléphone ne peut plus joindre le serveur : le fichier s’importe sur un autre appareil sans doublon.</p>
      <p class="hint">
        « CSV pour tableur » s’ouvre en colonnes dans Excel ou LibreOffice, pour un tableur ; pour réimporter, choisissez CSV, GeoJSON ou JSON.
      </p>
      {message && (
        <p class={message.error ? 'error' : 'files-message'} role="status">
          {message.text}
        </p>
      )}
    </section>
  );
}
