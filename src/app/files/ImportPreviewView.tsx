import { IMPORT_FORMAT_LABELS, REFUSAL_CODES, REFUSAL_LABELS } from '../../domain/import/import-row.ts';
import type { ImportPreview } from '../../domain/import/import-summary.ts';
import { datedFileName, downloadBlob } from './download.ts';
import { refusedLinesCsv } from './refused-lines.ts';
import { plural } from '../format.ts';

/** Refused lines listed on screen; the downloadable file holds up to MAX_REFUSED_KEPT. */
const SHOWN_REFUSED = 10;

/** What the file holds before anything is written: counts, refusals by reason, the first refused lines. */
export function ImportPreviewView({ preview, fileName }: { preview: ImportPreview; fileName: string }) {
  return (
    <div class="import-preview" role="region" aria-label="Aperçu de l’import">
      <p>
        Format reconnu : <strong>{IMPORT_FORMAT_LABELS[preview.format]}</strong>
      </p>
      <ul class="import-counts">
        <li>Lignes lues : {preview.rowsRead.toLocaleString('fr-FR')}</li>
        <li>À importer : {preview.toImport.toLocaleString('fr-FR')}</li>
        <li>Déjà sur l’appareil : {preview.alreadyOnDevice.toLocaleString('fr-FR')}</li>
        {preview.duplicatesInFile > 0 && <li>En double dans le fichier : {preview.duplicatesInFile.toLocaleString('fr-FR')}</li>}
        <li>Refusées : {preview.refusedCount.toLocaleString('fr-FR')}</li>
      </ul>
      {preview.refusedCount > 0 && (
        <>
          <ul class="import-reasons" aria-label="Lignes refusées par motif">
            {REFUSAL_CODES.filter((code) => preview.refusedByCode[code]).map((code) => (
              <li key={code}>
                {REFUSAL_LABELS[code]} : {preview.refusedByCode[code]}
              </li>
            ))}
          </ul>
          <ol class="import-refused" aria-label="Premières lignes refusées">
            {preview.refused.slice(0, SHOWN_REFUSED).map((row) => (
              <li key={row.line}>
                Ligne {row.line} : {row.reason}
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => downloadBlob(refusedLinesCsv(preview.refused), datedFileName(`lignes-refusees-${baseName(fileName)}`, 'csv'))}>
            Télécharger les lignes refusées
          </button>
          {preview.refusedCount > preview.refused.length && (
            <p class="hint">Le fichier des lignes refusées contient les {plural(preview.refused.length, 'première', 'premières')}.</p>
          )}
        </>
      )}
    </div>
  );
}

function baseName(fileName: string): string {
  return (
    fileName
      .replace(/\.[^.]*$/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .slice(0, 40) || 'fichier'
  );
}
